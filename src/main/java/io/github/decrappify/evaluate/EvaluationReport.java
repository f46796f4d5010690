package io.github.decrappify.evaluate;

import com.google.gson.JsonObject;
import com.google.gson.JsonArray;
import io.github.decrappify.image.Json;
import ij.measure.ResultsTable;
import io.github.decrappify.image.AtomicFiles;
import io.github.decrappify.metrics.MetricReport;
import io.github.decrappify.metrics.PairEvaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The scores of an {@link Evaluation}: one entry per image (plane), with the model's metrics, the
 * baselines' when an LR input was given, and the truth's pixel size so that FRC resolutions can be
 * given in physical units. Renders as a text table, CSV, JSON, an ImageJ {@link ResultsTable} and a
 * summary plot ({@link EvaluationPlot}).
 */
public final class EvaluationReport {

    /**
     * @param row       the scores
     * @param pixelSize the truth's pixel width in {@code unit}, NaN when uncalibrated
     * @param unit      the truth's length unit, {@code null} when uncalibrated
     */
    public record Entry(PairEvaluation.Row row, double pixelSize, String unit) {

        public boolean calibrated() {
            return unit != null && Double.isFinite(pixelSize);
        }
    }

    private final List<Entry> entries;
    private final PairEvaluation.Options options;

    public EvaluationReport(List<Entry> entries, PairEvaluation.Options options) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one image");
        }
        this.entries = List.copyOf(entries);
        this.options = options;
    }

    public List<Entry> entries() {
        return entries;
    }

    public boolean hasBaselines() {
        return entries.get(0).row().bicubic() != null;
    }

    public MetricReport meanModel() {
        return mean(PairEvaluation.Row::model);
    }

    public MetricReport meanBicubic() {
        return hasBaselines() ? mean(PairEvaluation.Row::bicubic) : null;
    }

    public MetricReport meanSmoothed() {
        return hasBaselines() ? mean(PairEvaluation.Row::smoothed) : null;
    }

    private MetricReport mean(Function<PairEvaluation.Row, MetricReport> f) {
        return MetricReport.mean(entries.stream().map(e -> f.apply(e.row())).toList());
    }

    private double meanSigma() {
        return entries.stream().mapToDouble(e -> e.row().sigma()).average().orElse(Double.NaN);
    }

    /** The unit shared by every calibrated entry, or {@code null} (then FRC is given in pixels only). */
    public String commonUnit() {
        String u = entries.get(0).unit();
        for (Entry e : entries) {
            if (!e.calibrated() || !e.unit().equals(u)) {
                return null;
            }
        }
        return u;
    }

    /** The plain-text table the CLI prints: one row per image, then the means. */
    public String table() {
        boolean base = hasBaselines();
        String unit = commonUnit();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s %8s %7s %7s %7s %7s", "image", "psnr", "ssim", "nrmse", "frc_px",
                "frc_hb"));
        if (unit != null) {
            sb.append(String.format(Locale.ROOT, " %11s", "frc_" + unit));
        }
        if (base) {
            sb.append(String.format(Locale.ROOT, " %12s %12s %13s %13s %14s", "bicubic_psnr", "bicubic_ssim",
                    "smoothed_psnr", "smoothed_ssim", "smoothed_sigma"));
        }
        if (options.register()) {
            sb.append("   shift_x  shift_y");
        }
        sb.append('\n');
        for (Entry e : entries) {
            PairEvaluation.Row r = e.row();
            line(sb, r.name(), r.model(), unit == null ? Double.NaN : e.pixelSize(), unit != null);
            if (base) {
                sb.append(String.format(Locale.ROOT, " %12s %12.4f %13s %13.4f %14.2f", db(r.bicubic().psnr()),
                        r.bicubic().ssim(), db(r.smoothed().psnr()), r.smoothed().ssim(), r.sigma()));
            }
            if (options.register()) {
                sb.append(String.format(Locale.ROOT, " %9.2f %8.2f", r.shift().dx(), r.shift().dy()));
            }
            sb.append('\n');
        }
        if (entries.size() > 1) {
            line(sb, "mean (" + entries.size() + ")", meanModel(), unit == null ? Double.NaN : meanPixel(), unit != null);
            if (base) {
                sb.append(String.format(Locale.ROOT, " %12s %12.4f %13s %13.4f %14.2f", db(meanBicubic().psnr()),
                        meanBicubic().ssim(), db(meanSmoothed().psnr()), meanSmoothed().ssim(), meanSigma()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private double meanPixel() {
        return entries.stream().mapToDouble(Entry::pixelSize).average().orElse(Double.NaN);
    }

    private static void line(StringBuilder sb, String name, MetricReport m, double pixel, boolean calibrated) {
        sb.append(String.format(Locale.ROOT, "%-28s %8s %7.4f %7.4f %7.2f %7.2f", name, db(m.psnr()), m.ssim(), m.nrmse(),
                m.frcPx(), m.frcHalfBitPx()));
        if (calibrated) {
            sb.append(String.format(Locale.ROOT, " %11.4g", m.frcPx() * pixel));
        }
    }

    private static String db(double v) {
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** CSV header of {@link #csv()}. */
    public static final String CSV_HEADER = "image,psnr,ssim,nrmse,frc_px,frc_halfbit_px,pixel_size,unit,frc_size,"
            + "frc_halfbit_size,bicubic_psnr,bicubic_ssim,bicubic_frc_px,smoothed_psnr,smoothed_ssim,smoothed_frc_px,"
            + "smoothed_sigma,shift_x,shift_y";

    /**
     * One row per image and a final {@code mean} row; baseline and shift columns are empty when not
     * computed, physical sizes when the truth is uncalibrated; infinite PSNR is written as {@code inf}.
     */
    public String csv() {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Entry e : entries) {
            PairEvaluation.Row r = e.row();
            csvRow(sb, csvName(r.name()), r.model(), e.calibrated() ? e.pixelSize() : Double.NaN, e.unit(), r.bicubic(),
                    r.smoothed(), r.sigma(), options.register() ? r.shift().dx() : Double.NaN,
                    options.register() ? r.shift().dy() : Double.NaN);
        }
        String unit = commonUnit();
        csvRow(sb, "mean", meanModel(), unit == null ? Double.NaN : meanPixel(), unit, meanBicubic(), meanSmoothed(),
                hasBaselines() ? meanSigma() : Double.NaN, Double.NaN, Double.NaN);
        return sb.toString();
    }

    private static String csvName(String name) {
        return name.contains(",") || name.contains("\"") ? '"' + name.replace("\"", "\"\"") + '"' : name;
    }

    private static void csvRow(StringBuilder sb, String name, MetricReport m, double pixel, String unit,
            MetricReport bic, MetricReport smooth, double sigma, double dx, double dy) {
        sb.append(name).append(',').append(num(m.psnr())).append(',').append(num(m.ssim())).append(',')
                .append(num(m.nrmse())).append(',').append(num(m.frcPx())).append(',').append(num(m.frcHalfBitPx()))
                .append(',').append(num(pixel)).append(',').append(unit == null || !Double.isFinite(pixel) ? "" : unit)
                .append(',').append(num(m.frcPx() * pixel)).append(',').append(num(m.frcHalfBitPx() * pixel));
        if (bic != null) {
            sb.append(',').append(num(bic.psnr())).append(',').append(num(bic.ssim())).append(',').append(num(bic.frcPx()))
                    .append(',').append(num(smooth.psnr())).append(',').append(num(smooth.ssim())).append(',')
                    .append(num(smooth.frcPx())).append(',').append(num(sigma));
        } else {
            sb.append(",,,,,,,");
        }
        sb.append(',').append(num(dx)).append(',').append(num(dy)).append('\n');
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /**
     * For one image, the stable {@code {"psnr":…,"ssim":…,"nrmse":…,"frc":…}} of {@link MetricReport#toJson};
     * for several, {@code {"images":[{"image":…, "psnr":…, …}, …], "mean":{…}}}.
     */
    public String json() {
        if (entries.size() == 1) {
            return entries.get(0).row().model().toJson();
        }
        JsonArray images = new JsonArray();
        for (Entry e : entries) {
            JsonObject image = new JsonObject();
            image.addProperty("image", e.row().name());
            e.row().model().toJsonTree().entrySet().forEach(m -> image.add(m.getKey(), m.getValue()));
            images.add(image);
        }
        JsonObject all = new JsonObject();
        all.add("images", images);
        all.add("mean", meanModel().toJsonTree());
        return Json.compact(all);
    }

    /** An ImageJ results table with the columns of {@link #csv()} (PSNR of identical images: Infinity). */
    public ResultsTable toResultsTable() {
        ResultsTable t = new ResultsTable();
        for (Entry e : entries) {
            PairEvaluation.Row r = e.row();
            t.incrementCounter();
            t.addLabel(r.name());
            t.addValue("PSNR", r.model().psnr());
            t.addValue("SSIM", r.model().ssim());
            t.addValue("NRMSE", r.model().nrmse());
            t.addValue("FRC 1/7 (px)", r.model().frcPx());
            t.addValue("FRC half-bit (px)", r.model().frcHalfBitPx());
            if (e.calibrated()) {
                t.addValue("FRC 1/7 (" + e.unit() + ")", r.model().frcPx() * e.pixelSize());
            }
            if (r.bicubic() != null) {
                t.addValue("bicubic PSNR", r.bicubic().psnr());
                t.addValue("bicubic SSIM", r.bicubic().ssim());
                t.addValue("smoothed PSNR", r.smoothed().psnr());
                t.addValue("smoothed SSIM", r.smoothed().ssim());
                t.addValue("smoothed sigma", r.sigma());
            }
            if (options.register()) {
                t.addValue("shift x", r.shift().dx());
                t.addValue("shift y", r.shift().dy());
            }
        }
        return t;
    }

    /** Writes {@link #csv()} through a temporary file renamed into place. */
    public void writeCsv(Path file) throws IOException {
        AtomicFiles.writeString(file, csv());
    }
}
