package io.github.decrappify.net;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Java arrays to and from TensorFlow tensors; the caller owns (closes) the tensors it creates. */
public final class Tensors {
    private Tensors() {}

    public static TFloat32 of(float[] data, long... shape) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    public static TFloat32 scalar(float v) {
        return TFloat32.scalarOf(v);
    }

    /** Copies a float tensor's values out (row-major). */
    public static float[] values(Tensor t) {
        TFloat32 f = (TFloat32) t;
        float[] out = new float[(int) f.shape().size()];
        f.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    public static long[] shape(Tensor t) {
        return t.shape().asArray();
    }
}
