package io.github.decrappify.net;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Creates trainable variables. Values come from {@code start} when it holds the name (resume,
 * fine-tuning) and from the builder's initialiser otherwise; the variables are kept in creation
 * order for the optimiser and for checkpoints.
 */
public final class VariableParams implements ParamSource {

    private final Ops tf;
    private final Params start;
    private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    private final Params initial = new Params();

    public VariableParams(Ops tf, Params start) {
        this.tf = tf;
        this.start = start == null ? new Params() : start;
    }

    @Override
    public Operand<TFloat32> get(String name, Params.Tensor init) {
        if (variables.containsKey(name)) {
            throw new IllegalStateException("parameter defined twice: " + name);
        }
        Params.Tensor value = start.get(name) != null ? start.get(name) : init;
        if (!java.util.Arrays.equals(value.shape(), init.shape())) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + java.util.Arrays.toString(value.shape())
                    + " but the network needs " + java.util.Arrays.toString(init.shape()));
        }
        Variable<TFloat32> v = tf.withName(opName(name)).variable(constant(tf, value));
        variables.put(name, v);
        initial.put(name, value);
        return v;
    }

    public Map<String, Variable<TFloat32>> variables() {
        return variables;
    }

    /** Values the variables were initialised with. */
    public Params initial() {
        return initial;
    }

    /** Graph op names may not contain '/' or ':'; parameter names keep them for readability. */
    public static String opName(String name) {
        return name.replace('/', '_').replace(':', '_');
    }

    static Operand<TFloat32> constant(Ops tf, Params.Tensor t) {
        return tf.constant(Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
    }
}
