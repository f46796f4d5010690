package io.github.decrappify.metrics;

import io.github.decrappify.image.FloatPlane;

/**
 * Normalised root-mean-square error, {@code RMSE / (max(truth) - min(truth))}: the error as a fraction
 * of the truth's dynamic range (scikit-image's "min-max" normalisation). Chosen over dividing by the mean
 * (unstable for dark, zero-mean or background-subtracted images) and by the standard deviation (which
 * changes with image content, not intensity scale). Invariant to a common affine change of both images.
 */
public final class Nrmse {

    private Nrmse() {
    }

    public static double of(FloatPlane truth, FloatPlane test) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float f : truth.data()) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        if (!(hi > lo)) {
            throw new IllegalArgumentException("truth is flat: NRMSE by range is undefined");
        }
        return of(truth, test, (double) hi - lo);
    }

    /** RMSE divided by an explicit range. */
    public static double of(FloatPlane truth, FloatPlane test, double range) {
        Planes.requireRange(range);
        return Math.sqrt(Planes.mse(truth, test)) / range;
    }
}
