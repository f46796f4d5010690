package io.github.decrappify.train;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** Pixel losses as graph ops, on NHWC single-channel images with data range 1 (normalised). */
public final class Losses {
    private Losses() {}

    public static Operand<TFloat32> l1(Ops tf, Operand<TFloat32> pred, Operand<TFloat32> target) {
        return tf.math.mean(tf.math.abs(tf.math.sub(pred, target)), tf.constant(new int[] {0, 1, 2, 3}));
    }

    /** Mean squared error over the batch (see {@link PixelLoss#L2}). */
    public static Operand<TFloat32> l2(Ops tf, Operand<TFloat32> pred, Operand<TFloat32> target) {
        Operand<TFloat32> d = tf.math.sub(pred, target);
        return tf.math.mean(tf.math.mul(d, d), tf.constant(new int[] {0, 1, 2, 3}));
    }

    /**
     * Noise2Void's loss: L1 over the pixels where {@code mask} is 1 only, {@code Σ|pred−target|·mask /
     * max(Σmask, 1)} over the whole batch, so every masked pixel weighs the same whatever its patch and
     * unmasked pixels contribute neither to the value nor to the gradient. {@code mask} holds 0 or 1 and
     * has the shape of {@code pred}.
     */
    public static Operand<TFloat32> maskedL1(Ops tf, Operand<TFloat32> pred, Operand<TFloat32> target,
            Operand<TFloat32> mask) {
        org.tensorflow.op.core.Constant<org.tensorflow.types.TInt32> all = tf.constant(new int[] {0, 1, 2, 3});
        Operand<TFloat32> sum = tf.reduceSum(tf.math.mul(tf.math.abs(tf.math.sub(pred, target)), mask), all);
        Operand<TFloat32> count = tf.math.maximum(tf.reduceSum(mask, all), tf.constant(1f));
        return tf.math.div(sum, count);
    }

    /**
     * Mean SSIM (Wang et al. 2004): 11×11 Gaussian window σ=1.5, valid region only, K1=0.01, K2=0.03,
     * data range 1. Used as {@code 1 - ssim} in the loss. The window is applied as two 1D passes over
     * the five local-moment maps stacked along the batch axis: the same result as the 2D window, at a
     * fraction of the cost (single-channel 11×11 convolutions and their gradients are slow on CPU).
     * <p>
     * Computed in float64: the local variances are differences of nearly equal moments
     * ({@code E[x²] − E[x]²}), which the oneDNN bf16 rewrite of {@code --precision bf16} would
     * otherwise run in bf16 (8-bit mantissa) and turn into noise; it reported SSIM ≈ 0.99 for
     * images whose fp32 SSIM is 0.38, so the term's gradient was noise too. The rewrite leaves
     * float64 ops alone, and five single-channel maps cost little in float64.
     */
    public static Operand<TFloat32> ssim(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y) {
        return tf.dtypes.cast(ssim64(tf, tf.dtypes.cast(x, TFloat64.class), tf.dtypes.cast(y, TFloat64.class)),
                TFloat32.class);
    }

    private static Operand<TFloat64> ssim64(Ops tf, Operand<TFloat64> x, Operand<TFloat64> y) {
        double[] g = gaussian1d(11, 1.5);
        Operand<TFloat64> rows = tf.constant(Shape.of(11, 1, 1, 1), DataBuffers.of(g));
        Operand<TFloat64> cols = tf.constant(Shape.of(1, 11, 1, 1), DataBuffers.of(g));
        Operand<TFloat64> c1 = tf.constant(0.01 * 0.01);
        Operand<TFloat64> c2 = tf.constant(0.03 * 0.03);
        Operand<TFloat64> two = tf.constant(2.0);
        Operand<TFloat64> stacked = tf.concat(List.of(x, y, tf.math.square(x), tf.math.square(y), tf.math.mul(x, y)),
                tf.constant(0));
        Operand<TFloat64> blurred = blur(tf, blur(tf, stacked, rows), cols);
        List<Operand<TFloat64>> m = new java.util.ArrayList<>();
        tf.split(tf.constant(0), blurred, 5L).forEach(m::add);
        Operand<TFloat64> mx = m.get(0);
        Operand<TFloat64> my = m.get(1);
        Operand<TFloat64> mxx = tf.math.square(mx);
        Operand<TFloat64> myy = tf.math.square(my);
        Operand<TFloat64> mxy = tf.math.mul(mx, my);
        Operand<TFloat64> sxx = tf.math.sub(m.get(2), mxx);
        Operand<TFloat64> syy = tf.math.sub(m.get(3), myy);
        Operand<TFloat64> sxy = tf.math.sub(m.get(4), mxy);
        Operand<TFloat64> num = tf.math.mul(tf.math.add(tf.math.mul(two, mxy), c1),
                tf.math.add(tf.math.mul(two, sxy), c2));
        Operand<TFloat64> den = tf.math.mul(tf.math.add(tf.math.add(mxx, myy), c1),
                tf.math.add(tf.math.add(sxx, syy), c2));
        return tf.math.mean(tf.math.div(num, den), tf.constant(new int[] {0, 1, 2, 3}));
    }

    private static Operand<TFloat64> blur(Ops tf, Operand<TFloat64> x, Operand<TFloat64> win) {
        return tf.nn.conv2d(x, win, List.of(1L, 1L, 1L, 1L), "VALID");
    }

    /** Normalised 1D Gaussian; its outer product with itself is the normalised 2D window. */
    static double[] gaussian1d(int size, double sigma) {
        double[] w = new double[size];
        double sum = 0;
        int r = size / 2;
        for (int i = 0; i < size; i++) {
            w[i] = Math.exp(-(i - r) * (i - r) / (2 * sigma * sigma));
            sum += w[i];
        }
        for (int i = 0; i < size; i++) {
            w[i] /= sum;
        }
        return w;
    }
}
