package io.github.decrappify.metrics;

import io.github.decrappify.image.FloatPlane;

/** Argument checks shared by the metrics. */
final class Planes {

    private Planes() {
    }

    static void requireComparable(FloatPlane truth, FloatPlane test) {
        if (truth.channels() != 1 || test.channels() != 1) {
            throw new IllegalArgumentException("metrics compare single-channel planes: " + truth + " vs " + test);
        }
        if (truth.width() != test.width() || truth.height() != test.height()) {
            throw new IllegalArgumentException("sizes differ: " + truth + " vs " + test);
        }
    }

    static void requireRange(double dataRange) {
        if (!(dataRange > 0) || Double.isInfinite(dataRange)) {
            throw new IllegalArgumentException("data range must be finite and > 0: " + dataRange);
        }
    }

    static double mse(FloatPlane truth, FloatPlane test) {
        requireComparable(truth, test);
        float[] a = truth.data();
        float[] b = test.data();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return s / a.length;
    }
}
