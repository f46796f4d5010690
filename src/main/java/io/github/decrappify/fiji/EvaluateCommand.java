package io.github.decrappify.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.decrappify.evaluate.Evaluation;
import io.github.decrappify.evaluate.EvaluationPlot;
import io.github.decrappify.evaluate.EvaluationReport;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.metrics.MetricReport;
import io.github.decrappify.metrics.PairEvaluation;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.util.Locale;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › Decrappify › Decrappify Evaluate…: scores restored images against ground truth, with the bicubic and
 * best Gaussian-smoothed bicubic baselines when the LR inputs are given (the twin of
 * {@code decrappify evaluate}). Files, or folders matched by file name; stacks plane by plane.
 * Results: an ImageJ results table ("Decrappify evaluation"), optionally saved as CSV, and the summary
 * plot (PSNR and SSIM per image, model vs baselines), optionally saved as PNG.
 * <pre>
 * run("Decrappify Evaluate...", "prediction=/data/x4 truth=/data/hr lr=/data/lr scale=4 csv=/data/scores.csv plot=/data/scores.png");
 * </pre>
 */
@Plugin(type = Command.class, menuPath = "Plugins>Decrappify>Decrappify Evaluate...", attrs = @Attr(name = "help", value = "trust.md#evaluate-scores-against-ground-truth"),
        description = "PSNR, SSIM, NRMSE and FRC of restorations against ground truth, next to bicubic baselines")
public final class EvaluateCommand extends DecrappifyCommand {

    static final String TABLE = "Decrappify evaluation";

    @Parameter(label = "Prediction (file or folder)", description = "Restored image, or a folder of them (type a folder path)")
    private File prediction;

    @Parameter(label = "Ground truth (file or folder)", description = "Matched to predictions by file name")
    private File truth;

    @Parameter(label = "LR input for baselines (optional)", required = false,
            description = "Adds bicubic and best Gaussian-smoothed bicubic columns")
    private File lr;

    @Parameter(label = "Scale (LR to truth)", min = "1")
    private int scale = 1;

    @Parameter(label = "Register to the truth (real pairs)", required = false)
    private boolean register = false;

    @Parameter(label = "Fit gain and offset (different acquisitions)", required = false)
    private boolean fit = false;

    @Parameter(label = "Margin left out (truth pixels)", min = "0")
    private int margin = 0;

    @Parameter(label = "Save table as CSV (optional)", style = "save", required = false)
    private File csv;

    @Parameter(label = "Save plot as PNG (optional)", style = "save", required = false)
    private File plot;

    @Parameter(type = ItemIO.OUTPUT, label = "Evaluation plot")
    private ImagePlus summary;

    @Parameter(type = ItemIO.OUTPUT, label = "Results")
    private ResultsTable results;

    @Override
    public void run() {
        if (prediction == null || truth == null) {
            fail("Give the restored image(s) and the ground truth (files or folders)");
            return;
        }
        try {
            java.util.List<Evaluation.Pair> pairs = Evaluation.match(prediction.toPath(), truth.toPath(),
                    lr == null || lr.getPath().isBlank() ? null : lr.toPath());
            java.util.Map<String, java.nio.file.Path> outputs = new java.util.LinkedHashMap<>();
            outputs.put("CSV file", csv == null || csv.getPath().isBlank() ? null : csv.toPath());
            outputs.put("Plot file", plot == null || plot.getPath().isBlank() ? null : plot.toPath());
            // Fiji's save dialog already asked before replacing an existing file; an input is never replaced.
            Evaluation.checkOutputs(pairs, outputs, true);
            EvaluationReport report = Evaluation.run(pairs, new PairEvaluation.Options(scale, register, fit, margin),
                    line -> status.showStatus("Decrappify: " + line));
            results = report.toResultsTable();
            summary = EvaluationPlot.summary(report);
            if (csv != null && !csv.getPath().isBlank()) {
                report.writeCsv(csv.toPath());
            }
            if (plot != null && !plot.getPath().isBlank()) {
                EvaluationPlot.savePng(summary, plot.toPath());
            }
            MetricReport m = report.meanModel();
            log.info(String.format(Locale.ROOT, "Decrappify: %d image(s): PSNR %.3f dB, SSIM %.4f, NRMSE %.4f, FRC %.2f px%s",
                    report.entries().size(), m.psnr(), m.ssim(), m.nrmse(), m.frcPx(), report.hasBaselines()
                            ? String.format(Locale.ROOT, "; bicubic %.3f / %.4f; best smoothed bicubic %.3f / %.4f",
                                    report.meanBicubic().psnr(), report.meanBicubic().ssim(), report.meanSmoothed().psnr(),
                                    report.meanSmoothed().ssim())
                            : ""));
            if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null) {
                results.show(TABLE);
            }
            status.showStatus("Decrappify: evaluated " + report.entries().size() + " image(s)");
        } catch (BadInputException | IllegalArgumentException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail("Cannot write the results: " + e.getMessage());
        }
    }
}
