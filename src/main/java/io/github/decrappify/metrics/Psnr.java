package io.github.decrappify.metrics;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Percentiles;

/**
 * Peak signal-to-noise ratio, {@code 10 log10(R^2 / MSE)} in dB. The data range {@code R} is always
 * explicit (1 for normalised planes, 255 for 8-bit): taking it from the images would make scores of
 * different predictions incomparable. Identical images give {@code +Infinity}.
 */
public final class Psnr {

    private Psnr() {
    }

    /** Mean squared difference of two single-channel planes of one size (the MSE PSNR is built on). */
    public static double meanSquaredError(FloatPlane truth, FloatPlane test) {
        return Planes.mse(truth, test);
    }

    public static double of(FloatPlane truth, FloatPlane test, double dataRange) {
        Planes.requireRange(dataRange);
        double mse = Planes.mse(truth, test);
        return 10 * Math.log10(dataRange * dataRange / mse);
    }

    /**
     * PSNR after mapping both images with the same affine map, the one that takes the truth's
     * 1st and 99.8th percentiles to 0 and 1; data range 1. Use when truth and prediction share units
     * (e.g. both 8-bit) but the absolute scale should not matter.
     */
    public static double normalised(FloatPlane truth, FloatPlane test) {
        Planes.requireComparable(truth, test);
        double[] r = Percentiles.range(truth.data(), Percentiles.LOW, Percentiles.HIGH);
        return of(Percentiles.affine(truth, r[0], r[1]), Percentiles.affine(test, r[0], r[1]), 1);
    }
}
