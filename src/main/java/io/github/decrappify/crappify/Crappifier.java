package io.github.decrappify.crappify;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import io.github.decrappify.image.ops.Resample;
import java.util.Random;

/**
 * Synthesises an LR acquisition from an HR plane, in the order the physics happens (after PSSR,
 * Fang et al. 2021, with a Poisson-Gaussian detector model):
 * <ol>
 *   <li>optical blur: Gaussian, {@code blurSigma} HR px (skipped when 0);</li>
 *   <li>sampling: reduce by {@code scale} ({@link DownsampleMode#AREA} integrates, as a detector does);
 *       HR sizes not divisible by the scale are cropped at the right/bottom first, so the output is
 *       {@code floor(W/scale) x floor(H/scale)};</li>
 *   <li>shot noise: {@code Poisson(peak * x) / peak} (intensity 1.0 = {@code peak} photons);</li>
 *   <li>read noise: {@code + N(0, gaussianSigma^2)};</li>
 *   <li>optional clipping to [0, 1].</li>
 * </ol>
 * Noise is added after downsampling because the detector counts photons in its own (LR) pixels; PSSR's
 * salt-and-pepper variant is deliberately absent (it models no detector we target).
 *
 * <p>The input must be normalised to [0, 1] (e.g. percentiles 1..99.8); negative values receive no shot
 * noise. Output is a new plane; the input is not modified. For a given {@code rng} seed the output is
 * identical on every run:
 * <pre>{@code
 * Crappifier c = new Crappifier(Presets.em(4));
 * FloatPlane lr = c.apply(hr, new Random(42));          // noise level drawn from the preset's ranges
 * FloatPlane fixed = c.apply(hr, c.params().typicalLevel(), new Random(42));
 * }</pre>
 */
public final class Crappifier {

    private final CrappifierParams params;

    public Crappifier(CrappifierParams params) {
        this.params = params;
    }

    public CrappifierParams params() {
        return params;
    }

    /** Degrades {@code hr} with a noise level drawn from the parameters' ranges. */
    public FloatPlane apply(FloatPlane hr, Random rng) {
        return apply(hr, params.sampleLevel(rng), rng);
    }

    /** Degrades {@code hr} with the given noise level. */
    public FloatPlane apply(FloatPlane hr, NoiseLevel level, Random rng) {
        return addNoise(degrade(hr), level, rng);
    }

    /** The noise-free part: blur and downsample. */
    public FloatPlane degrade(FloatPlane hr) {
        if (hr.channels() != 1) {
            throw new IllegalArgumentException("crappify one channel at a time, got " + hr);
        }
        int s = params.scale();
        int lw = hr.width() / s;
        int lh = hr.height() / s;
        if (lw == 0 || lh == 0) {
            throw new IllegalArgumentException(hr + " is smaller than the scale " + s);
        }
        FloatPlane blurred = Filters.gaussian(hr, params.blurSigma());
        if (s == 1) {
            return blurred;
        }
        FloatPlane cropped = crop(blurred, lw * s, lh * s);
        return switch (params.downsample()) {
            case AREA -> Resample.areaDown(cropped, s);
            case BILINEAR -> Resample.bilinear(cropped, lw, lh);
            case NEAREST -> Resample.nearest(cropped, lw, lh);
        };
    }

    /** Shot noise, then read noise, then optional clipping; pixels are visited in row-major order. */
    public FloatPlane addNoise(FloatPlane lr, NoiseLevel level, Random rng) {
        float[] in = lr.data();
        float[] out = new float[in.length];
        boolean shot = Double.isFinite(level.peak());
        double peak = level.peak();
        double sigma = level.gaussianSigma();
        for (int i = 0; i < in.length; i++) {
            double v = in[i];
            if (shot) {
                v = PoissonSampler.sample(peak * v, rng) / peak;
            }
            if (sigma > 0) {
                v += sigma * rng.nextGaussian();
            }
            if (params.clip()) {
                v = Math.min(1, Math.max(0, v));
            }
            out[i] = (float) v;
        }
        return new FloatPlane(lr.width(), lr.height(), out);
    }

    private static FloatPlane crop(FloatPlane p, int w, int h) {
        if (w == p.width() && h == p.height()) {
            return p;
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(p.data(), y * p.width(), out, y * w, w);
        }
        return new FloatPlane(w, h, out);
    }
}
