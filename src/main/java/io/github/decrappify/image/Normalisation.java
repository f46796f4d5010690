package io.github.decrappify.image;

/**
 * Percentile normalisation as in CSBDeep: {@code x' = (x - low) / (high - low)}, so that the low
 * percentile maps to 0 and the high one to 1, and its exact inverse to return to intensity units.
 *
 * <p>A constant image has {@code high == low}; the divisor is then 1 rather than 0 (the image maps
 * to zeros and back to itself), so nothing becomes NaN or infinite.
 */
public record Normalisation(double low, double high) {

    /**
     * The percentiles mapped to 0 and 1 unless a bundle or option says otherwise (CSBDeep's): the one place of these
     * numbers, used by restoring, training, crappifying, evaluation and the bundle default.
     */
    public static final double DEFAULT_LOW_PERCENTILE = 1;
    public static final double DEFAULT_HIGH_PERCENTILE = 99.8;
    /** {@code "1,99.8"}: the two as an option default ({@code train --norm-percentiles}). */
    public static final String DEFAULT_PERCENTILES = (int) DEFAULT_LOW_PERCENTILE + "," + DEFAULT_HIGH_PERCENTILE;

    public Normalisation {
        if (!Double.isFinite(low) || !Double.isFinite(high) || high < low) {
            throw new IllegalArgumentException("need finite low <= high, got " + low + ", " + high);
        }
    }

    /**
     * From percentiles of channel {@code c} over the whole stack (streamed, see {@link StackPercentiles}).
     *
     * @throws BadInputException if a plane cannot be read or is not finite
     */
    public static Normalisation ofChannel(ImageStackSource source, int c, double lowPercentile, double highPercentile)
            throws BadInputException {
        if (!(lowPercentile < highPercentile)) {
            throw new IllegalArgumentException("low percentile " + lowPercentile + " must be below high percentile "
                    + highPercentile);
        }
        double[] p = StackPercentiles.ofChannel(source, c, lowPercentile, highPercentile);
        return new Normalisation(p[0], p[1]);
    }

    /** {@code high - low}, or 1 for a constant image. */
    public double span() {
        return high > low ? high - low : 1;
    }

    public float apply(float x) {
        return (float) ((x - low) / span());
    }

    public float invert(float y) {
        return (float) (y * span() + low);
    }

    /** A new, normalised plane (all channels). */
    public FloatPlane apply(FloatPlane plane) {
        float[] in = plane.data();
        float[] out = new float[in.length];
        double span = span();
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) ((in[i] - low) / span);
        }
        return new FloatPlane(plane.width(), plane.height(), plane.channels(), out);
    }

    /** A new plane back in intensity units. */
    public FloatPlane invert(FloatPlane plane) {
        float[] in = plane.data();
        float[] out = new float[in.length];
        double span = span();
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (in[i] * span + low);
        }
        return new FloatPlane(plane.width(), plane.height(), plane.channels(), out);
    }
}
