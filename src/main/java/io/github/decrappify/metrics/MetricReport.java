package io.github.decrappify.metrics;

import com.google.gson.JsonObject;
import io.github.decrappify.image.Json;
import io.github.decrappify.image.FloatPlane;

/**
 * The standard evaluation of a prediction against the truth.
 *
 * @param psnr  dB, {@link Psnr#of} with the given data range
 * @param ssim  mean SSIM, {@link Ssim#mean} with the given data range
 * @param nrmse RMSE over the truth's min-max range, {@link Nrmse#of(FloatPlane, FloatPlane)}
 * @param frcPx FRC resolution of prediction vs truth at the 1/7 threshold, in pixels (2 = Nyquist bound)
 * @param frcHalfBitPx the same at the half-bit threshold (van Heel and Schatz 2005), in pixels
 */
public record MetricReport(double psnr, double ssim, double nrmse, double frcPx, double frcHalfBitPx) {

    public static MetricReport of(FloatPlane truth, FloatPlane prediction, double dataRange) {
        FrcCurve frc = Frc.compute(truth, prediction);
        return new MetricReport(Psnr.of(truth, prediction, dataRange), Ssim.mean(truth, prediction, dataRange),
                Nrmse.of(truth, prediction), frc.resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels(),
                frc.resolution(FrcCurve.Threshold.HALF_BIT).pixels());
    }

    /** Component-wise mean of several reports (e.g. over the images of a folder). */
    public static MetricReport mean(java.util.List<MetricReport> reports) {
        double[] m = new double[5];
        for (MetricReport r : reports) {
            m[0] += r.psnr;
            m[1] += r.ssim;
            m[2] += r.nrmse;
            m[3] += r.frcPx;
            m[4] += r.frcHalfBitPx;
        }
        int n = Math.max(1, reports.size());
        return new MetricReport(m[0] / n, m[1] / n, m[2] / n, m[3] / n, m[4] / n);
    }

    /**
     * The CLI's {@code evaluate --json} form: {@code {"psnr":…,"ssim":…,"nrmse":…,"frc":…}} (frc: 1/7
     * threshold, pixels). These four keys are a stable contract for scripts; nothing else goes in.
     */
    public String toJson() {
        return Json.compact(toJsonTree());
    }

    /**
     * {@link #toJson()} as a Gson tree, six significant digits a value; JSON has no infinities or NaN (PSNR of
     * identical images): those become null.
     */
    public JsonObject toJsonTree() {
        JsonObject o = new JsonObject();
        o.add("psnr", Json.sixDigits(psnr));
        o.add("ssim", Json.sixDigits(ssim));
        o.add("nrmse", Json.sixDigits(nrmse));
        o.add("frc", Json.sixDigits(frcPx));
        return o;
    }
}
