package io.github.decrappify.train;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Pixel losses as graph ops, on NHWC single-channel images with data range 1 (normalised). */
public final class Losses {
    private Losses() {}

    public static Operand<TFloat32> l1(Ops tf, Operand<TFloat32> pred, Operand<TFloat32> target) {
        return tf.math.mean(tf.math.abs(tf.math.sub(pred, target)), tf.constant(new int[] {0, 1, 2, 3}));
    }

    /**
     * Mean SSIM (Wang et al. 2004): 11×11 Gaussian window σ=1.5, valid region only, K1=0.01, K2=0.03,
     * data range 1. Used as {@code 1 - ssim} in the loss.
     */
    public static Operand<TFloat32> ssim(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y) {
        Operand<TFloat32> win = tf.constant(Shape.of(11, 11, 1, 1), DataBuffers.of(gaussianWindow(11, 1.5)));
        float c1 = 0.01f * 0.01f;
        float c2 = 0.03f * 0.03f;
        Operand<TFloat32> mx = blur(tf, x, win);
        Operand<TFloat32> my = blur(tf, y, win);
        Operand<TFloat32> mxx = tf.math.square(mx);
        Operand<TFloat32> myy = tf.math.square(my);
        Operand<TFloat32> mxy = tf.math.mul(mx, my);
        Operand<TFloat32> sxx = tf.math.sub(blur(tf, tf.math.square(x), win), mxx);
        Operand<TFloat32> syy = tf.math.sub(blur(tf, tf.math.square(y), win), myy);
        Operand<TFloat32> sxy = tf.math.sub(blur(tf, tf.math.mul(x, y), win), mxy);
        Operand<TFloat32> num = tf.math.mul(tf.math.add(tf.math.mul(tf.constant(2f), mxy), tf.constant(c1)),
                tf.math.add(tf.math.mul(tf.constant(2f), sxy), tf.constant(c2)));
        Operand<TFloat32> den = tf.math.mul(tf.math.add(tf.math.add(mxx, myy), tf.constant(c1)),
                tf.math.add(tf.math.add(sxx, syy), tf.constant(c2)));
        return tf.math.mean(tf.math.div(num, den), tf.constant(new int[] {0, 1, 2, 3}));
    }

    private static Operand<TFloat32> blur(Ops tf, Operand<TFloat32> x, Operand<TFloat32> win) {
        return tf.nn.conv2d(x, win, List.of(1L, 1L, 1L, 1L), "VALID");
    }

    static float[] gaussianWindow(int size, double sigma) {
        float[] w = new float[size * size];
        double sum = 0;
        int r = size / 2;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double v = Math.exp(-((x - r) * (x - r) + (y - r) * (y - r)) / (2 * sigma * sigma));
                w[y * size + x] = (float) v;
                sum += v;
            }
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= (float) sum;
        }
        return w;
    }
}
