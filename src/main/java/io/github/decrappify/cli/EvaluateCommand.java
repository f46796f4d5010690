package io.github.decrappify.cli;

import io.github.decrappify.evaluate.Evaluation;
import io.github.decrappify.evaluate.EvaluationPlot;
import io.github.decrappify.evaluate.EvaluationReport;
import io.github.decrappify.metrics.PairEvaluation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code decrappify evaluate}: PSNR, SSIM, NRMSE and FRC of predictions against ground truth, with baselines. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Score predictions against ground truth (files, or folders matched by file name; stacks plane by plane).",
                "Both are normalised with the truth's 1/99.8 percentiles (data range 1). FRC: resolution at the 1/7 and",
                "half-bit thresholds in pixels, and in the truth's unit when it is calibrated, over the central",
                "square of each plane, at most 4096 pixels a side."})
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--prediction", required = true, paramLabel = "F|DIR", description = "Restored image(s).")
    Path prediction;

    @Option(names = "--truth", required = true, paramLabel = "F|DIR", description = "Ground truth image(s).")
    Path truth;

    @Option(names = "--lr", paramLabel = "F|DIR", description = "LR input(s): adds bicubic and best Gaussian-smoothed bicubic baselines.")
    Path lr;

    @Option(names = "--scale", defaultValue = "1", description = "LR to truth scale for the baselines (default ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--register", description = "Align to the truth first (real LR/HR pairs drift): the shift whose area-averaged truth best fits the LR, else phase correlation with the prediction.")
    boolean register;

    @Option(names = "--fit-intensity", description = "Least-squares gain/offset of every candidate to the truth (different acquisitions).")
    boolean fitIntensity;

    @Option(names = "--margin", defaultValue = "0", description = "Border in truth pixels left out of the scores (default ${DEFAULT-VALUE}).")
    int margin;

    @Option(names = "--json", description = "Print JSON instead of the table: {\"psnr\":…, \"ssim\":…, \"nrmse\":…, \"frc\":…} for one"
            + " pair (frc: 1/7 threshold, px); {\"images\":[…], \"mean\":{…}} for several.")
    boolean json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per image (and the means) to a CSV file.")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Save the summary plot (PSNR and SSIM per image, model vs baselines) as PNG.")
    Path plot;

    @Option(names = "--overwrite", description = "Replace existing --csv/--plot files (never an input).")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        BadOptionException.require("--scale", scale, 1, 64);
        BadOptionException.require("--margin", margin, 0, 65536);
        requireExists("--prediction", prediction);
        requireExists("--truth", truth);
        requireExists("--lr", lr);
        PrintWriter out = spec.commandLine().getOut();
        PairEvaluation.Options options = new PairEvaluation.Options(scale, register, fitIntensity, margin);
        List<Evaluation.Pair> pairs = Evaluation.match(prediction, truth, lr);
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("--csv", csv);
        outputs.put("--plot", plot);
        Evaluation.checkOutputs(pairs, outputs, overwrite); // before scoring, so nothing is lost and no time wasted
        PrintWriter log = spec.commandLine().getErr();
        // progress of a folder job on stderr, so stdout holds the table or the JSON alone
        EvaluationReport report = Evaluation.run(pairs, options, pairs.size() < 2 ? line -> { } : line -> {
            log.println(line);
            log.flush();
        });
        out.print(json ? report.json() + "\n" : report.table());
        if (csv != null) {
            report.writeCsv(csv);
        }
        if (plot != null) {
            EvaluationPlot.savePng(EvaluationPlot.summary(report), plot);
        }
        out.flush();
        return 0;
    }

    /** The engine checks paths too; here the message names the option. */
    private static void requireExists(String option, Path p) {
        if (p != null && !Files.exists(p)) {
            throw new IllegalArgumentException(option + " " + p + " not found; check the path");
        }
    }
}
