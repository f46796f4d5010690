package io.github.decrappify.evaluate;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.decrappify.image.AtomicFiles;
import io.github.decrappify.metrics.MetricReport;
import io.github.decrappify.metrics.PairEvaluation;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The summary plot of an evaluation: PSNR (top) and SSIM (bottom) per image, the model next to the
 * bicubic and best Gaussian-smoothed bicubic baselines when they were computed, drawn with ImageJ's
 * {@link Plot} (works headless) into one RGB image that can be saved as PNG.
 */
public final class EvaluationPlot {

    static final Color MODEL = new Color(0, 90, 200);
    static final Color BICUBIC = new Color(200, 40, 40);
    static final Color SMOOTHED = new Color(0, 140, 60);

    private EvaluationPlot() {
    }

    /** Both panels stacked in one image titled "Decrappify evaluation". */
    public static ImagePlus summary(EvaluationReport report) {
        ImageProcessor psnr = panel(report, "PSNR (dB)", MetricReport::psnr).getProcessor().convertToRGB();
        ImageProcessor ssim = panel(report, "SSIM", MetricReport::ssim).getProcessor().convertToRGB();
        int w = Math.max(psnr.getWidth(), ssim.getWidth());
        ColorProcessor out = new ColorProcessor(w, psnr.getHeight() + ssim.getHeight());
        out.setColor(Color.WHITE);
        out.fill();
        out.insert(psnr, 0, 0);
        out.insert(ssim, 0, psnr.getHeight());
        return new ImagePlus("Decrappify evaluation", out);
    }

    /** One metric per image: model, and the baselines when present. */
    public static Plot panel(EvaluationReport report, String label, ToDoubleFunction<MetricReport> metric) {
        List<EvaluationReport.Entry> entries = report.entries();
        int n = entries.size();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        Plot plot = new Plot("Decrappify " + label, "image (row of the results table)", label);
        plot.setFrameSize(560, 200);
        String shape = n > 1 ? "connected circle" : "circle";
        double[] lo = {Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY};
        StringBuilder legend = new StringBuilder("model");
        add(plot, shape, MODEL, x, values(entries, PairEvaluation.Row::model, metric), lo, hi);
        if (report.hasBaselines()) {
            add(plot, n > 1 ? "connected triangle" : "triangle", SMOOTHED, x,
                    values(entries, PairEvaluation.Row::smoothed, metric), lo, hi);
            add(plot, n > 1 ? "connected x" : "x", BICUBIC, x, values(entries, PairEvaluation.Row::bicubic, metric), lo, hi);
            legend.append("\tbest Gaussian-smoothed bicubic\tbicubic");
        }
        if (!(hi[0] > lo[0])) {
            lo[0] = Double.isFinite(lo[0]) ? lo[0] - 1 : 0;
            hi[0] = lo[0] + 2;
        }
        double pad = 0.08 * (hi[0] - lo[0]);
        plot.setLimits(0.5, n + 0.5, lo[0] - pad, hi[0] + 4.5 * pad); // headroom for the legend
        plot.setColor(Color.BLACK);
        plot.addLegend(legend.toString(), "top-right");
        plot.draw();
        return plot;
    }

    private static double[] values(List<EvaluationReport.Entry> entries, Function<PairEvaluation.Row, MetricReport> which,
            ToDoubleFunction<MetricReport> metric) {
        double[] v = new double[entries.size()];
        for (int i = 0; i < v.length; i++) {
            double d = metric.applyAsDouble(which.apply(entries.get(i).row()));
            v[i] = Double.isFinite(d) ? d : Double.NaN; // identical images: PSNR +inf is not drawn
        }
        return v;
    }

    private static void add(Plot plot, String shape, Color color, double[] x, double[] y, double[] lo, double[] hi) {
        for (double v : y) {
            if (Double.isFinite(v)) {
                lo[0] = Math.min(lo[0], v);
                hi[0] = Math.max(hi[0], v);
            }
        }
        plot.setColor(color, color);
        plot.setLineWidth(2);
        plot.add(shape, x, y);
    }

    /** Saves {@code image} as PNG at {@code file} (through a temporary file renamed into place). */
    public static void savePng(ImagePlus image, Path file) throws IOException {
        // Encoded in memory and written through AtomicFiles: a unique temporary name created exclusively, so a
        // link planted at a predictable name is never followed.
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        if (!javax.imageio.ImageIO.write(image.getBufferedImage(), "png", png)) {
            throw new IOException("no PNG writer available for " + file);
        }
        AtomicFiles.write(file.toAbsolutePath(), png.toByteArray());
    }
}
