package io.github.decrappify.crappify;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import io.github.decrappify.image.ops.Percentiles;
import io.github.decrappify.image.ops.Resample;
import io.github.decrappify.metrics.Psnr;
import io.github.decrappify.metrics.Registration;

/**
 * Estimates the optical blur of a real LR acquisition from a registered HR acquisition of the same
 * field: the Gaussian σ (HR px) for which blurring and area-downsampling the HR best matches the LR,
 * after registration and a gain/offset fit. The LR's own noise is left to {@link NoiseFit}.
 */
public final class BlurFit {

    /** Best σ and the PSNR of the match at each σ tried. */
    public record Result(double sigma, double[] sigmas, double[] psnr, Registration.Shift lrShift) {}

    private BlurFit() {}

    public static Result fit(FloatPlane hr, FloatPlane lr, int scale) {
        if (lr.width() * scale > hr.width() + scale || lr.height() * scale > hr.height() + scale) {
            throw new IllegalArgumentException("the HR image (" + hr.width() + "x" + hr.height() + ") must be " + scale
                    + " times the LR image (" + lr.width() + "x" + lr.height() + ")");
        }
        double[] r = Percentiles.range(lr.data(), Percentiles.LOW, Percentiles.HIGH);
        FloatPlane l = Percentiles.affine(lr, r[0], r[1]);
        double[] sigmas = new double[13];
        double[] psnr = new double[sigmas.length];
        int best = 0;
        Registration.Shift shift = null;
        for (int i = 0; i < sigmas.length; i++) {
            sigmas[i] = 0.5 * i;
            FloatPlane d = Resample.areaDown(sigmas[i] > 0 ? Filters.gaussian(hr, sigmas[i]) : hr, scale);
            d = d.width() == l.width() && d.height() == l.height() ? d : crop(d, l.width(), l.height());
            Registration.Shift s = Registration.phaseCorrelation(l, d);
            FloatPlane[] o = Registration.overlap(l, d, s.roundedX(), s.roundedY(), 2);
            psnr[i] = Psnr.of(o[0], Registration.fitIntensity(o[0], o[1]), 1);
            if (psnr[i] > psnr[best] || i == 0) {
                best = i;
                shift = s;
            }
        }
        return new Result(sigmas[best], sigmas, psnr, shift);
    }

    private static FloatPlane crop(FloatPlane p, int w, int h) {
        float[] d = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(p.data(), y * p.width(), d, y * w, w);
        }
        return new FloatPlane(w, h, d);
    }
}
