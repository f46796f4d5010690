package io.github.decrappify.metrics;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import io.github.decrappify.image.ops.Percentiles;
import io.github.decrappify.image.ops.Resample;

/**
 * Scores a prediction against the truth, optionally next to the bicubic and best
 * Gaussian-smoothed-bicubic upsamplings of the LR input, all treated identically: normalised with the
 * truth's 1/99.8 percentiles (data range 1), registered to the truth (the LR by
 * {@link Registration#lrToHr}, else the prediction by phase correlation) and intensity-fitted when
 * asked (real LR/HR pairs drift and differ in gain), cropped by a margin.
 */
public final class PairEvaluation {

    /**
     * @param register     estimate the LR→HR translation (from the LR, else the prediction)
     * @param fitIntensity least-squares gain/offset of each candidate to the truth before scoring
     * @param margin       border (truth pixels) left out of every score
     */
    public record Options(int scale, boolean register, boolean fitIntensity, int margin) {}

    /** One image's scores; baseline fields are {@code null} without an LR input. */
    public record Row(String name, MetricReport model, MetricReport bicubic, MetricReport smoothed, double sigma,
            Registration.Shift shift) {}

    private PairEvaluation() {}

    public static Row evaluate(String name, FloatPlane prediction, FloatPlane truth, FloatPlane lr, Options o) {
        if (prediction.width() != truth.width() || prediction.height() != truth.height()) {
            throw new IllegalArgumentException(name + ": prediction is " + prediction.width() + "x" + prediction.height()
                    + " but the truth is " + truth.width() + "x" + truth.height());
        }
        if (lr != null && ((long) lr.width() * o.scale() != truth.width() || (long) lr.height() * o.scale() != truth.height())) {
            throw new IllegalArgumentException(name + ": LR " + lr.width() + "x" + lr.height() + " times scale " + o.scale()
                    + " does not match the truth " + truth.width() + "x" + truth.height());
        }
        Runtime rt = Runtime.getRuntime();
        requireMemory(name, truth.width(), truth.height(), o.register(), rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()));
        double[] r = Percentiles.range(truth.data(), Percentiles.LOW, Percentiles.HIGH);
        FloatPlane t = Percentiles.affine(truth, r[0], r[1]);
        FloatPlane p = Percentiles.affine(prediction, r[0], r[1]);
        FloatPlane l = lr == null ? null : Percentiles.affine(lr, r[0], r[1]);
        FloatPlane bic = l == null ? null : upsample(l, o.scale());
        Registration.Shift shift = new Registration.Shift(0, 0);
        if (o.register()) {
            // With an LR, the forward-model estimate: phase correlation with its bicubic upsampling is biased.
            shift = l != null ? Registration.lrToHr(t, l, o.scale()) : Registration.phaseCorrelation(t, p);
        }
        MetricReport model = score(t, p, shift, o);
        if (l == null) {
            return new Row(name, model, null, null, Double.NaN, shift);
        }
        MetricReport best = null;
        double bestSigma = 0;
        for (double sigma : Baselines.SIGMAS) {
            MetricReport m = score(t, upsample(sigma > 0 ? Filters.gaussian(l, sigma) : l, o.scale()), shift, o);
            if (best == null || m.psnr() > best.psnr()) {
                best = m;
                bestSigma = sigma;
            }
        }
        return new Row(name, model, score(t, bic, shift, o), best, bestSigma, shift);
    }

    /**
     * Scoring holds normalised copies of the planes, SSIM's local moments (float planes) and, with
     * registration, two complex double transforms: about this many bytes per truth pixel (generous).
     */
    static final int BYTES_PER_PIXEL = 64;
    static final int BYTES_PER_PIXEL_REGISTERED = 96;

    /**
     * Refuses a plane whose scoring would not fit in {@code available} bytes, in one line naming the plane
     * and what to change, instead of an OutOfMemoryError part-way (a plane big enough to read may still be
     * too big to score: scoring needs ~16-24 times the plane's 4 bytes a pixel).
     */
    static void requireMemory(String name, int width, int height, boolean register, long available) {
        long need = (long) width * height * (register ? BYTES_PER_PIXEL_REGISTERED : BYTES_PER_PIXEL);
        if (need > available) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%s: scoring a %dx%d plane needs about %.1f GiB of memory, %.1f GiB are free; give Java more"
                            + " (JAVA_OPTS=-Xmx...) or score a crop", name, width, height, need / 1073741824.0,
                    available / 1073741824.0));
        }
    }

    private static FloatPlane upsample(FloatPlane lr, int scale) {
        return scale == 1 ? lr : Resample.bicubic(lr, scale);
    }

    private static MetricReport score(FloatPlane truth, FloatPlane candidate, Registration.Shift s, Options o) {
        FloatPlane[] pair = Registration.overlap(truth, candidate, s.roundedX(), s.roundedY(), o.margin());
        FloatPlane c = o.fitIntensity() ? Registration.fitIntensity(pair[0], pair[1]) : pair[1];
        return MetricReport.of(pair[0], c, 1.0);
    }
}
