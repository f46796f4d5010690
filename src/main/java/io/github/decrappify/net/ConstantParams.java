package io.github.decrappify.net;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Freezes trained values into the graph as constants: the serving graph then needs no variable ops. */
public final class ConstantParams implements ParamSource {

    private final Ops tf;
    private final Params values;

    public ConstantParams(Ops tf, Params values) {
        this.tf = tf;
        this.values = values;
    }

    @Override
    public Operand<TFloat32> get(String name, Params.Tensor init) {
        Params.Tensor t = values.get(name);
        if (t == null) {
            throw new IllegalArgumentException("trained weights lack parameter " + name);
        }
        if (!Arrays.equals(t.shape(), init.shape())) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + Arrays.toString(t.shape())
                    + ", the network needs " + Arrays.toString(init.shape()));
        }
        return VariableParams.constant(tf.withName(VariableParams.opName(name)), t);
    }
}
