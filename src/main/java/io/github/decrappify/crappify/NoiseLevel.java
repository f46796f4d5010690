package io.github.decrappify.crappify;

/**
 * One concrete noise level, in the units of a plane normalised to [0, 1].
 *
 * @param peak photon count that an intensity of 1.0 corresponds to: shot-noise variance is
 *             {@code value / peak}; {@link Double#POSITIVE_INFINITY} means no shot noise
 * @param gaussianSigma standard deviation of additive read noise (normalised units); 0 means none
 */
public record NoiseLevel(double peak, double gaussianSigma) {

    public NoiseLevel {
        if (!(peak > 0) || !(gaussianSigma >= 0) || Double.isInfinite(gaussianSigma)) {
            throw new IllegalArgumentException("need peak > 0 and finite gaussianSigma >= 0: " + peak + ", " + gaussianSigma);
        }
    }

    public static final NoiseLevel NONE = new NoiseLevel(Double.POSITIVE_INFINITY, 0);

    /** Noise variance at intensity {@code mean} (before clipping): {@code mean / peak + sigma^2}. */
    public double variance(double mean) {
        return Math.max(mean, 0) / peak + gaussianSigma * gaussianSigma;
    }
}
