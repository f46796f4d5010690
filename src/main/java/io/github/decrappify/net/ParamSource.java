package io.github.decrappify.net;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Supplies the tensors a network builder asks for by name. Training supplies variables initialised
 * from {@link Params}; export supplies constants holding trained values, so the same builder code
 * produces the training graph and the frozen serving graph.
 */
public interface ParamSource {

    /**
     * @param name unique parameter name, e.g. {@code enc1/res/conv1/w}
     * @param init shape and initial values, used only when the parameter is created
     */
    Operand<TFloat32> get(String name, Params.Tensor init);
}
