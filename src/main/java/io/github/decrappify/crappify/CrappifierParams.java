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

    public CrappifierParams {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be >= 1: " + scale);
        }
        if (!(blurSigma >= 0) || Double.isInfinite(blurSigma)) {
            throw new IllegalArgumentException("blurSigma must be finite and >= 0: " + blurSigma);
        }
        if (!(poissonPeak.min() > 0) || (Double.isInfinite(poissonPeak.max()) && !poissonPeak.isFixed())) {
            throw new IllegalArgumentException("poissonPeak must be > 0 and either finite or [inf, inf]: " + poissonPeak);
        }
        if (!(gaussianSigma.min() >= 0) || Double.isInfinite(gaussianSigma.max())) {
            throw new IllegalArgumentException("gaussianSigma must be finite and >= 0: " + gaussianSigma);
        }
        if (downsample == null) {
            throw new IllegalArgumentException("downsample mode is required");
        }
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
