package io.github.decrappify.metrics;

/**
 * An FRC curve: for ring {@code i}, spatial frequency {@code frequency[i]} (cycles per pixel, from
 * {@code 1/N} to 0.5), correlation {@code correlation[i]} and the number of Fourier coefficients
 * {@code pixels[i]} in the ring (which the half-bit threshold depends on).
 */
public record FrcCurve(double[] frequency, double[] correlation, int[] pixels) {

    /** Resolution criteria. */
    public enum Threshold {
        /** Fixed 1/7 = 0.1429 (Rosenthal and Henderson 2003; the usual choice in optical microscopy). */
        ONE_SEVENTH,
        /**
         * Half-bit information (van Heel and Schatz 2005):
         * {@code (0.2071 + 1.9102/sqrt(n)) / (1.2071 + 0.9102/sqrt(n))}, n = coefficients in the ring;
         * higher than 1/7 at low frequency, where rings hold few coefficients.
         */
        HALF_BIT;

        public double at(int ringPixels) {
            if (this == ONE_SEVENTH) {
                return 1.0 / 7.0;
            }
            double s = Math.sqrt(ringPixels);
            return (0.2071 + 1.9102 / s) / (1.2071 + 0.9102 / s);
        }
    }

    /**
     * Where the curve first falls below a threshold.
     *
     * @param frequency cycles per pixel at the crossing (linear interpolation between rings)
     * @param crossed   false if the curve stays above the threshold up to Nyquist; then
     *                  {@code frequency = 0.5} and the resolution (2 px) is only a bound set by sampling
     */
    public record Resolution(double frequency, boolean crossed) {

        /** Resolution in pixels: {@code 1 / frequency}. */
        public double pixels() {
            return 1.0 / frequency;
        }

        /** Resolution in the unit of {@code pixelSize} (e.g. nm per pixel gives nm). */
        public double inUnits(double pixelSize) {
            return pixels() * pixelSize;
        }
    }

    public Resolution resolution(Threshold threshold) {
        int n = frequency.length;
        double prev = correlation[0] - threshold.at(pixels[0]);
        if (prev < 0) {
            return new Resolution(frequency[0], true);
        }
        for (int i = 1; i < n; i++) {
            double d = correlation[i] - threshold.at(pixels[i]);
            if (d < 0) {
                double t = prev / (prev - d);
                return new Resolution(frequency[i - 1] + t * (frequency[i] - frequency[i - 1]), true);
            }
            prev = d;
        }
        return new Resolution(frequency[n - 1], false);
    }

    /** Moving average of the correlation over {@code 2 halfWidth + 1} rings (truncated at the ends). */
    public FrcCurve smoothed(int halfWidth) {
        int n = correlation.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - halfWidth);
            int hi = Math.min(n - 1, i + halfWidth);
            double s = 0;
            for (int j = lo; j <= hi; j++) {
                s += correlation[j];
            }
            out[i] = s / (hi - lo + 1);
        }
        return new FrcCurve(frequency, out, pixels);
    }

    public double meanCorrelation() {
        double s = 0;
        for (double c : correlation) {
            s += c;
        }
        return s / correlation.length;
    }
}
