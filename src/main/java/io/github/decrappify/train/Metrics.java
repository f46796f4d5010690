package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.metrics.Frc;
import io.github.decrappify.metrics.FrcCurve;
import io.github.decrappify.metrics.Psnr;
import io.github.decrappify.metrics.Ssim;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validation scores of a generator: mean PSNR (dB) and SSIM on normalised intensities (data range 1)
 * and mean FRC resolution (1/7 threshold, HR pixels; lower is sharper detail that agrees with the truth;
 * NaN where it was not measured, as in supervised training, whose validations skip it for speed).
 */
public record Metrics(double psnr, double ssim, double frc) {

    /** A network's forward pass on NHWC input {@code [n, h, w, c]}; both training graphs have one. */
    @FunctionalInterface
    public interface Predictor {
        float[] predict(float[] input, int n, int height, int width);
    }

    /** Scores the generator on the validation pairs (each in one pass), FRC included. */
    public static Metrics of(Predictor graph, List<TrainingPair> validation) {
        return of(graph, validation, true);
    }

    /** Scores the generator on the validation pairs; {@code frc} false leaves FRC as NaN. */
    public static Metrics of(Predictor graph, List<TrainingPair> validation, boolean withFrc) {
        double psnr = 0;
        double ssim = 0;
        double frc = withFrc ? 0 : Double.NaN;
        for (TrainingPair p : validation) {
            FloatPlane lr = p.lr();
            float[] out = graph.predict(lr.data(), 1, lr.height(), lr.width());
            FloatPlane pred = new FloatPlane(p.hr().width(), p.hr().height(), out);
            FloatPlane truth = p.hr().channels() == 1 ? p.hr() : p.hr().channel(p.hr().channels() / 2);
            psnr += Psnr.of(truth, pred, 1.0);
            ssim += Ssim.mean(truth, pred, 1.0);
            if (withFrc) {
                frc += Frc.compute(truth, pred).resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels();
            }
        }
        int n = Math.max(1, validation.size());
        return new Metrics(psnr / n, ssim / n, frc / n);
    }

    public boolean finite() {
        return Double.isFinite(psnr) && Double.isFinite(ssim) && Double.isFinite(frc);
    }

    /**
     * Whether this generator is a better result than {@code other}: finer FRC resolution (by more than
     * 0.1 %), or equal resolution and higher PSNR. Fidelity limits are checked separately.
     */
    public boolean sharperThan(Metrics other) {
        double tol = 1e-3 * other.frc;
        return frc < other.frc - tol || Math.abs(frc - other.frc) <= tol && psnr > other.psnr;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("psnr", round(psnr, 4));
        m.put("ssim", round(ssim, 5));
        m.put("frc_px", round(frc, 4));
        return m;
    }

    public static Metrics fromMap(Map<?, ?> m) {
        if (m == null) {
            return null;
        }
        return new Metrics(((Number) m.get("psnr")).doubleValue(), ((Number) m.get("ssim")).doubleValue(),
                ((Number) m.get("frc_px")).doubleValue());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PSNR %.3f dB, SSIM %.4f, FRC %.3f px", psnr, ssim, frc);
    }

    public static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Double.isFinite(v) ? Math.round(v * f) / f : v;
    }
}
