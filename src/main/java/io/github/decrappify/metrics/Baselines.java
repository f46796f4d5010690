package io.github.decrappify.metrics;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import io.github.decrappify.image.ops.Resample;

/**
 * Non-learned reference restorations a model has to beat. Bicubic upsampling alone keeps the noise;
 * smoothing first trades resolution for noise, and {@link #bestSmoothedBicubic} picks the trade-off
 * that is best for PSNR against the truth: an oracle, so a fair upper bound for linear methods.
 */
public final class Baselines {

    /** Default sigma grid (LR pixels): 0 to 3 in steps of 0.25. */
    public static final double[] SIGMAS = grid(0, 3, 0.25);

    private Baselines() {
    }

    /** A baseline image and the smoothing it used. */
    public record Smoothed(FloatPlane image, double sigma, double psnr) {
    }

    /** Bicubic upsampling of {@code lr} by {@code scale} (see {@link Resample#bicubic(FloatPlane, int)}). */
    public static FloatPlane bicubic(FloatPlane lr, int scale) {
        return Resample.bicubic(lr, scale);
    }

    /** {@link #bestSmoothedBicubic(FloatPlane, FloatPlane, int, double, double[])} over {@link #SIGMAS}. */
    public static Smoothed bestSmoothedBicubic(FloatPlane lr, FloatPlane truth, int scale, double dataRange) {
        return bestSmoothedBicubic(lr, truth, scale, dataRange, SIGMAS);
    }

    /**
     * Bicubic upsampling of the Gaussian-blurred LR image, with the blur sigma (LR pixels) from
     * {@code sigmas} that maximises PSNR against {@code truth}, whose size must be {@code scale} times
     * the LR size. Ties keep the smaller sigma.
     */
    public static Smoothed bestSmoothedBicubic(FloatPlane lr, FloatPlane truth, int scale, double dataRange,
            double[] sigmas) {
        if (truth.width() != lr.width() * scale || truth.height() != lr.height() * scale) {
            throw new IllegalArgumentException("truth " + truth + " is not " + scale + " x LR " + lr);
        }
        if (sigmas.length == 0) {
            throw new IllegalArgumentException("empty sigma grid");
        }
        Smoothed best = null;
        for (double s : sigmas) {
            FloatPlane up = Resample.bicubic(Filters.gaussian(lr, s), scale);
            double p = Psnr.of(truth, up, dataRange);
            if (best == null || p > best.psnr()) {
                best = new Smoothed(up, s, p);
            }
        }
        return best;
    }

    private static double[] grid(double from, double to, double step) {
        int n = (int) Math.round((to - from) / step) + 1;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = from + i * step;
        }
        return g;
    }
}
