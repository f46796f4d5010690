package io.github.decrappify.cli;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import io.github.decrappify.image.ops.Percentiles;
import io.github.decrappify.image.ops.Resample;
import io.github.decrappify.metrics.Baselines;
import io.github.decrappify.metrics.MetricReport;
import io.github.decrappify.metrics.Psnr;

/**
 * Scores one plane of a prediction against the truth the way {@code decrappify evaluate} documents it:
 * both mapped with the truth's 1st/99.8th percentiles to 0..1 (data range 1), optionally the prediction
 * (and every baseline) fitted to the truth by least squares, then PSNR, SSIM, NRMSE and FRC; with an LR
 * image, the same for bicubic upsampling and for the Gaussian-smoothed bicubic whose sigma maximises PSNR.
 *
 * @param fitIntensity fit {@code a·x + b} to the truth before scoring: predictions and truth from
 *                     different acquisitions differ in gain and offset, which is not an error of the model
 */
record Evaluation(boolean fitIntensity) {

    /** Scores of one plane; the baselines are {@code null} without an LR image. */
    record Scores(MetricReport model, MetricReport bicubic, MetricReport smoothed, double sigma) {}

    /**
     * @param lr    {@code null}, or the LR input in the truth's intensity units, {@code scale} times smaller
     */
    Scores score(FloatPlane truth, FloatPlane prediction, FloatPlane lr, int scale) {
        double[] r = Percentiles.range(truth.data(), Percentiles.LOW, Percentiles.HIGH);
        FloatPlane t = Percentiles.affine(truth, r[0], r[1]);
        MetricReport model = MetricReport.of(t, prepare(Percentiles.affine(prediction, r[0], r[1]), t), 1);
        if (lr == null) {
            return new Scores(model, null, null, Double.NaN);
        }
        FloatPlane l = Percentiles.affine(lr, r[0], r[1]);
        MetricReport bicubic = MetricReport.of(t, prepare(upsample(l, scale), t), 1);
        // Baselines.bestSmoothedBicubic cannot fit the intensity per sigma, so the search is repeated here.
        FloatPlane best = null;
        double bestPsnr = Double.NEGATIVE_INFINITY;
        double bestSigma = 0;
        for (double sigma : Baselines.SIGMAS) {
            FloatPlane up = prepare(upsample(sigma > 0 ? Filters.gaussian(l, sigma) : l, scale), t);
            double p = Psnr.of(t, up, 1);
            if (best == null || p > bestPsnr) {
                best = up;
                bestPsnr = p;
                bestSigma = sigma;
            }
        }
        return new Scores(model, bicubic, MetricReport.of(t, best, 1), bestSigma);
    }

    private FloatPlane prepare(FloatPlane p, FloatPlane truth) {
        return fitIntensity ? fitAffine(p, truth) : p;
    }

    private static FloatPlane upsample(FloatPlane lr, int scale) {
        return scale == 1 ? lr : Resample.bicubic(lr, scale);
    }

    /** {@code a·p + b} with a, b minimising the squared difference to {@code truth}. */
    static FloatPlane fitAffine(FloatPlane p, FloatPlane truth) {
        float[] x = p.data();
        float[] y = truth.data();
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            sxy += dx * (y[i] - my);
            sxx += dx * dx;
        }
        double a = sxx > 0 ? sxy / sxx : 0; // a flat prediction can only match the truth's mean
        double b = my - a * mx;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (a * x[i] + b);
        }
        return new FloatPlane(p.width(), p.height(), out);
    }
}
