package io.github.decrappify.crappify;

import java.util.Random;

/**
 * Parameters of the degradation model that turns a high-resolution (HR) plane, normalised to [0, 1],
 * into a low-resolution (LR) training input. See {@link Crappifier} for the order of the steps.
 *
 * @param scale         LR pixel size in HR pixels (1 = denoising only, no downsampling)
 * @param blurSigma     standard deviation of a Gaussian blur applied at HR, in HR pixels; models an
 *                      optical PSF wider than the HR sampling (0 = none)
 * @param poissonPeak   range of the photon count that intensity 1.0 corresponds to; drawn log-uniformly
 *                      per sample (noise scales as {@code 1/sqrt(peak)}, so this spreads samples evenly
 *                      over noise levels); {@code [inf, inf]} disables shot noise
 * @param gaussianSigma range of the standard deviation of additive Gaussian read noise, in normalised
 *                      intensity units; drawn uniformly per sample
 * @param downsample    how HR pixels are reduced to LR pixels
 * @param clip          clip the noisy result to [0, 1], as an 8-bit or saturating detector does
 */
public record CrappifierParams(int scale, double blurSigma, Range poissonPeak, Range gaussianSigma,
        DownsampleMode downsample, boolean clip) {

    /** Largest downsampling factor (a preset's {@code scale}). */
    public static final int MAX_SCALE = 64;
    /** Largest blur, in HR pixels: its kernel (radius 3σ) is then 601 pixels wide. */
    public static final double MAX_BLUR_SIGMA = 100;
    /** Smallest photon count at intensity 1.0: below, one photon is worth more than 100 times the range. */
    public static final double MIN_POISSON_PEAK = 0.01;
    /** Largest read noise, in normalised intensity units (10 times the image's range). */
    public static final double MAX_GAUSSIAN_SIGMA = 10;

    /**
     * Every number bounded where it enters: the messages use the preset file's key names, so a preset
     * with {@code blur_sigma: 1e9} is refused in one line (it used to fail with "-1" from a kernel size
     * that overflowed).
     */
    public CrappifierParams {
        if (scale < 1 || scale > MAX_SCALE) {
            throw new IllegalArgumentException("'scale' must be an integer from 1 to " + MAX_SCALE + ", not " + scale);
        }
        if (!(blurSigma >= 0 && blurSigma <= MAX_BLUR_SIGMA)) {
            throw new IllegalArgumentException("'blur_sigma' must be from 0 to " + (int) MAX_BLUR_SIGMA
                    + " (HR pixels), not " + blurSigma);
        }
        if (!(poissonPeak.min() >= MIN_POISSON_PEAK) || (Double.isInfinite(poissonPeak.max()) && !poissonPeak.isFixed())) {
            throw new IllegalArgumentException("'poisson_peak' must be at least " + MIN_POISSON_PEAK
                    + " (photons at intensity 1), finite or .inf for no shot noise, not " + show(poissonPeak));
        }
        if (!(gaussianSigma.min() >= 0 && gaussianSigma.max() <= MAX_GAUSSIAN_SIGMA)) {
            throw new IllegalArgumentException("'gaussian_sigma' must be from 0 to " + (int) MAX_GAUSSIAN_SIGMA
                    + " (normalised intensity), not " + show(gaussianSigma));
        }
        if (downsample == null) {
            throw new IllegalArgumentException("downsample mode is required");
        }
    }

    private static String show(Range r) {
        return r.isFixed() ? String.valueOf(r.min()) : "[" + r.min() + ", " + r.max() + "]";
    }

    /** Draws this sample's noise level: peak log-uniform, Gaussian sigma uniform; fixed ranges draw nothing. */
    public NoiseLevel sampleLevel(Random rng) {
        double peak = poissonPeak.isFixed() ? poissonPeak.min()
                : Math.exp(uniform(Math.log(poissonPeak.min()), Math.log(poissonPeak.max()), rng));
        double sigma = gaussianSigma.isFixed() ? gaussianSigma.min()
                : uniform(gaussianSigma.min(), gaussianSigma.max(), rng);
        return new NoiseLevel(peak, sigma);
    }

    /** The middle of the ranges (geometric for the peak): a representative level for reproducible output. */
    public NoiseLevel typicalLevel() {
        double peak = poissonPeak.isFixed() ? poissonPeak.min() : Math.sqrt(poissonPeak.min() * poissonPeak.max());
        return new NoiseLevel(peak, 0.5 * (gaussianSigma.min() + gaussianSigma.max()));
    }

    /** The same model with the noise fixed at {@code level} (no per-sample variation). */
    public CrappifierParams withLevel(NoiseLevel level) {
        return new CrappifierParams(scale, blurSigma, Range.of(level.peak()), Range.of(level.gaussianSigma()),
                downsample, clip);
    }

    public CrappifierParams withScale(int newScale) {
        return new CrappifierParams(newScale, blurSigma, poissonPeak, gaussianSigma, downsample, clip);
    }

    public CrappifierParams withBlurSigma(double sigma) {
        return new CrappifierParams(scale, sigma, poissonPeak, gaussianSigma, downsample, clip);
    }

    public CrappifierParams withNoise(Range peak, Range sigma) {
        return new CrappifierParams(scale, blurSigma, peak, sigma, downsample, clip);
    }

    private static double uniform(double lo, double hi, Random rng) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
