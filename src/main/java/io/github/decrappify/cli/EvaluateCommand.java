package io.github.decrappify.cli;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.metrics.MetricReport;
import io.github.decrappify.metrics.PairEvaluation;
import io.github.decrappify.train.TrainingImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code decrappify evaluate}: PSNR, SSIM, NRMSE and FRC of predictions against ground truth, with baselines. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score predictions against ground truth (files, or folders matched by file name).",
                "Both are normalised with the truth's 1/99.8 percentiles (data range 1); FRC is the 1/7-threshold resolution in pixels."})
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--prediction", required = true, paramLabel = "F|DIR", description = "Restored image(s).")
    Path prediction;

    @Option(names = "--truth", required = true, paramLabel = "F|DIR", description = "Ground truth image(s).")
    Path truth;

    @Option(names = "--lr", paramLabel = "F|DIR", description = "LR input(s): adds bicubic and best Gaussian-smoothed bicubic baselines.")
    Path lr;

    @Option(names = "--scale", defaultValue = "1", description = "LR to truth scale for the baselines (default ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--register", description = "Align to the truth by phase correlation first (real LR/HR pairs drift).")
    boolean register;

    @Option(names = "--fit-intensity", description = "Least-squares gain/offset of every candidate to the truth (different acquisitions).")
    boolean fitIntensity;

    @Option(names = "--margin", defaultValue = "0", description = "Border in truth pixels left out of the scores (default ${DEFAULT-VALUE}).")
    int margin;

    @Option(names = "--json", description = "For one pair: print {\"psnr\":…, \"ssim\":…, \"nrmse\":…, \"frc\":…}.")
    boolean json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per image to a CSV file.")
    Path csv;

    @Override
    public Integer call() throws Exception {
        List<PairEvaluation.Row> rows = new ArrayList<>();
        PairEvaluation.Options opt = new PairEvaluation.Options(scale, register, fitIntensity, margin);
        if (Files.isDirectory(prediction) != Files.isDirectory(truth)) {
            throw new IllegalArgumentException("--prediction and --truth must both be files or both folders");
        }
        if (Files.isDirectory(prediction)) {
            for (Path t : TrainingImages.list(List.of(truth))) {
                String name = t.getFileName().toString();
                Path p = partner(prediction, name);
                rows.add(PairEvaluation.evaluate(name, read(p), read(t), lr == null ? null : read(partner(lr, name)), opt));
            }
        } else {
            rows.add(PairEvaluation.evaluate(truth.getFileName().toString(), read(prediction), read(truth),
                    lr == null ? null : read(lr), opt));
        }
        if (json) {
            if (rows.size() != 1) {
                throw new IllegalArgumentException("--json prints one pair; use --csv for folders");
            }
            System.out.println(rows.get(0).model().toJson());
        } else {
            print(rows);
        }
        if (csv != null) {
            writeCsv(rows);
        }
        return 0;
    }

    private static Path partner(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        if (Files.isRegularFile(p)) {
            return p;
        }
        String stem = CrappifyCommand.stem(p);
        for (String ext : new String[] {".tif", ".tiff", ".png"}) {
            if (Files.isRegularFile(dir.resolve(stem + ext))) {
                return dir.resolve(stem + ext);
            }
        }
        throw new IOException("no image named like " + name + " in " + dir + " (pairs are matched by file name)");
    }

    static FloatPlane read(Path f) throws IOException {
        ImagePlus imp = IJ.openImage(f.toString());
        if (imp == null) {
            throw new IOException("cannot open " + f);
        }
        if (imp.getStackSize() > 1) {
            throw new IOException(f + " has " + imp.getStackSize() + " planes; evaluate compares 2D images");
        }
        float[] px = (float[]) imp.getProcessor().convertToFloatProcessor().getPixels();
        return new FloatPlane(imp.getWidth(), imp.getHeight(), px);
    }

    private void print(List<PairEvaluation.Row> rows) {
        boolean base = rows.get(0).bicubic() != null;
        System.out.printf(Locale.ROOT, "%-28s %8s %7s %7s %7s%s%n", "image", "PSNR", "SSIM", "NRMSE", "FRC px",
                base ? "   bicubic PSNR/SSIM   smoothed PSNR/SSIM (sigma)" : "");
        double[] mean = new double[8];
        for (PairEvaluation.Row r : rows) {
            System.out.printf(Locale.ROOT, "%-28s %8.3f %7.4f %7.4f %7.2f", r.name(), r.model().psnr(), r.model().ssim(),
                    r.model().nrmse(), r.model().frcPx());
            add(mean, 0, r.model());
            if (base) {
                System.out.printf(Locale.ROOT, "   %7.3f / %6.4f   %7.3f / %6.4f (%.2f)", r.bicubic().psnr(), r.bicubic().ssim(),
                        r.smoothed().psnr(), r.smoothed().ssim(), r.sigma());
                mean[4] += r.bicubic().psnr();
                mean[5] += r.bicubic().ssim();
                mean[6] += r.smoothed().psnr();
                mean[7] += r.smoothed().ssim();
            }
            if (register) {
                System.out.printf(Locale.ROOT, "   shift %.2f,%.2f", r.shift().dx(), r.shift().dy());
            }
            System.out.println();
        }
        if (rows.size() > 1) {
            int n = rows.size();
            System.out.printf(Locale.ROOT, "%-28s %8.3f %7.4f %7.4f %7.2f", "mean (" + n + ")", mean[0] / n, mean[1] / n,
                    mean[2] / n, mean[3] / n);
            if (base) {
                System.out.printf(Locale.ROOT, "   %7.3f / %6.4f   %7.3f / %6.4f", mean[4] / n, mean[5] / n, mean[6] / n,
                        mean[7] / n);
            }
            System.out.println();
        }
    }

    private static void add(double[] m, int at, MetricReport r) {
        m[at] += r.psnr();
        m[at + 1] += r.ssim();
        m[at + 2] += r.nrmse();
        m[at + 3] += r.frcPx();
    }

    private void writeCsv(List<PairEvaluation.Row> rows) throws IOException {
        StringBuilder sb = new StringBuilder("image,psnr,ssim,nrmse,frc_px,bicubic_psnr,bicubic_ssim,smoothed_psnr,smoothed_ssim,sigma\n");
        for (PairEvaluation.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%.4f,%.5f,%.5f,%.3f", r.name(), r.model().psnr(), r.model().ssim(),
                    r.model().nrmse(), r.model().frcPx()));
            if (r.bicubic() != null) {
                sb.append(String.format(Locale.ROOT, ",%.4f,%.5f,%.4f,%.5f,%.2f%n", r.bicubic().psnr(), r.bicubic().ssim(),
                        r.smoothed().psnr(), r.smoothed().ssim(), r.sigma()));
            } else {
                sb.append(",,,,,\n");
            }
        }
        Path tmp = Files.createTempFile(csv.toAbsolutePath().getParent(), "evaluate", ".part");
        Files.writeString(tmp, sb);
        Files.move(tmp, csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
