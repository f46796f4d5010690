package io.github.decrappify.metrics;

import io.github.decrappify.image.FloatPlane;
import java.util.Locale;

/**
 * The standard evaluation of a prediction against the truth.
 *
 * @param psnr  dB, {@link Psnr#of} with the given data range
 * @param ssim  mean SSIM, {@link Ssim#mean} with the given data range
 * @param nrmse RMSE over the truth's min-max range, {@link Nrmse#of(FloatPlane, FloatPlane)}
 * @param frcPx FRC resolution of prediction vs truth at the 1/7 threshold, in pixels (2 = Nyquist bound)
 */
public record MetricReport(double psnr, double ssim, double nrmse, double frcPx) {

    public static MetricReport of(FloatPlane truth, FloatPlane prediction, double dataRange) {
        return new MetricReport(Psnr.of(truth, prediction, dataRange), Ssim.mean(truth, prediction, dataRange),
                Nrmse.of(truth, prediction),
                Frc.compute(truth, prediction).resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels());
    }

    /** The CLI's {@code evaluate --json} form: {@code {"psnr":…,"ssim":…,"nrmse":…,"frc":…}}. */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"psnr\":%s,\"ssim\":%s,\"nrmse\":%s,\"frc\":%s}", json(psnr), json(ssim),
                json(nrmse), json(frcPx));
    }

    /** JSON has no infinities or NaN (PSNR of identical images): those become null. */
    private static String json(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }
}
