package io.github.decrappify.crappify;

import java.util.Random;

/**
 * Poisson random numbers. Exact (inversion by sequential search) for means up to
 * {@link #NORMAL_ABOVE}; above, the normal approximation {@code round(mean + sqrt(mean) z)}, whose
 * skewness error ({@code 1/sqrt(mean)} &lt; 0.13) is below what the crappifier can notice, at constant
 * cost per sample. Draws a fixed number of values from {@code rng} per call path, so results are
 * reproducible for a seed.
 */
public final class PoissonSampler {

    public static final double NORMAL_ABOVE = 64;

    private PoissonSampler() {
    }

    /** A Poisson variate with the given mean; means &lt;= 0 give 0. */
    public static double sample(double mean, Random rng) {
        if (!(mean > 0)) {
            return 0;
        }
        if (mean > NORMAL_ABOVE) {
            return Math.max(0, Math.rint(mean + Math.sqrt(mean) * rng.nextGaussian()));
        }
        double u = rng.nextDouble();
        double p = Math.exp(-mean);
        double cdf = p;
        int k = 0;
        // The bound stops the search where rounding makes the cdf stall just below u.
        while (u > cdf && k < 1000) {
            k++;
            p *= mean / k;
            cdf += p;
        }
        return k;
    }
}
