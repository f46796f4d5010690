package io.github.decrappify.image.ops;

import io.github.decrappify.image.Normalisation;
import io.github.decrappify.image.FloatPlane;
import java.util.Arrays;

/**
 * Percentiles and percentile normalisation, the convention used across training, crappifying and
 * evaluation: the {@code low} percentile maps to 0 and the {@code high} percentile to 1 (CSBDeep's
 * 1 / 99.8 by default), linearly and without clipping.
 */
public final class Percentiles {

    /** {@link Normalisation#DEFAULT_LOW_PERCENTILE}. */
    public static final double LOW = Normalisation.DEFAULT_LOW_PERCENTILE;
    /** {@link Normalisation#DEFAULT_HIGH_PERCENTILE}. */
    public static final double HIGH = Normalisation.DEFAULT_HIGH_PERCENTILE;

    private Percentiles() {
    }

    /** The {@code p}-th percentile (0..100), linear interpolation between order statistics (numpy's default). */
    public static double of(float[] data, double p) {
        return ofSorted(sortedCopy(data), p);
    }

    /** Low and high percentiles of the data, one sort. */
    public static double[] range(float[] data, double low, double high) {
        float[] s = sortedCopy(data);
        return new double[] {ofSorted(s, low), ofSorted(s, high)};
    }

    /** {@code (x - lo) / (hi - lo)} with lo, hi the {@link #LOW} and {@link #HIGH} percentiles of {@code p}. */
    public static FloatPlane normalise(FloatPlane p) {
        double[] r = range(p.data(), LOW, HIGH);
        return affine(p, r[0], r[1]);
    }

    /** {@code (x - lo) / (hi - lo)}; if {@code hi == lo} (a flat image) the result is {@code x - lo}. */
    public static FloatPlane affine(FloatPlane p, double lo, double hi) {
        double scale = hi > lo ? 1.0 / (hi - lo) : 1.0;
        float[] in = p.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) ((in[i] - lo) * scale);
        }
        return new FloatPlane(p.width(), p.height(), p.channels(), out);
    }

    private static float[] sortedCopy(float[] data) {
        if (data.length == 0) {
            throw new IllegalArgumentException("no data");
        }
        float[] s = data.clone();
        Arrays.sort(s);
        return s;
    }

    private static double ofSorted(float[] sorted, double p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in [0, 100]: " + p);
        }
        double pos = p / 100.0 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        double f = pos - i;
        return sorted[i] + f * (sorted[i + 1] - sorted[i]);
    }
}
