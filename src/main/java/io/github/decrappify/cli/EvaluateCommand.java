package io.github.decrappify.cli;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.metrics.MetricReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code decrappify evaluate}: PSNR, SSIM, NRMSE and FRC of predictions against ground truth, optionally
 * next to the bicubic and best Gaussian-smoothed bicubic baselines computed from the LR inputs.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score predictions against ground truth: PSNR (dB), SSIM, NRMSE and FRC resolution (1/7 threshold,"
                + " pixels).",
                "Both images are mapped with the truth's 1st/99.8th percentiles to 0..1 (data range 1). Stacks are"
                        + " scored plane by plane and averaged.",
                "Folders are matched by file name (else by name without extension)."})
public final class EvaluateCommand implements Callable<Integer> {

    private static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "gif", "bmp",
            "pgm", "fits", "fit", "dcm");

    @Spec
    CommandSpec spec;

    @Option(names = "--prediction", required = true, paramLabel = "F|DIR", description = "Restored image or folder.")
    Path prediction;

    @Option(names = "--truth", required = true, paramLabel = "F|DIR", description = "Ground-truth image or folder.")
    Path truth;

    @Option(names = "--lr", paramLabel = "F|DIR", description = "LR inputs, for the bicubic and smoothed-bicubic baselines.")
    Path lr;

    @Option(names = "--scale", paramLabel = "S", description = "Truth size / LR size (default: inferred from the sizes).")
    Integer scale;

    @Option(names = "--fit-intensity",
            description = "Least-squares fit a*x+b of prediction (and baselines) to the truth before scoring:"
                    + " for truth from another acquisition, whose gain and offset differ.")
    boolean fitIntensity;

    @Option(names = "--json", description = "One line of JSON: {\"psnr\":…,\"ssim\":…,\"nrmse\":…,\"frc\":…}"
            + " for a pair of files (null for infinite PSNR of identical images).")
    boolean json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table (one row per image, plus the mean) as CSV.")
    Path csv;

    /** One matched set of files. */
    record Pair(String name, Path prediction, Path truth, Path lr) {}

    /** The scores of one image: averages over its planes. */
    record Row(String name, MetricReport model, MetricReport bicubic, MetricReport smoothed, double sigma) {}

    @Override
    public Integer call() throws Exception {
        requireExists(prediction, "--prediction");
        requireExists(truth, "--truth");
        if (lr != null) {
            requireExists(lr, "--lr");
        }
        if (scale != null && scale < 1) {
            throw new IllegalArgumentException("--scale must be at least 1, not " + scale);
        }
        boolean folders = Files.isDirectory(truth);
        if (Files.isDirectory(prediction) != folders || (lr != null && Files.isDirectory(lr) != folders)) {
            throw new IllegalArgumentException("--prediction, --truth" + (lr != null ? " and --lr" : "")
                    + " must all be files or all be folders");
        }
        List<Pair> pairs = folders ? match() : List.of(new Pair(truth.getFileName().toString(), prediction, truth, lr));
        Evaluation evaluation = new Evaluation(fitIntensity);
        List<Row> rows = new ArrayList<>();
        for (Pair p : pairs) {
            rows.add(score(evaluation, p));
        }
        Row mean = mean(rows);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(folders ? folderJson(rows, mean) : rows.get(0).model().toJson());
        } else {
            printTable(out, rows, folders ? mean : null);
        }
        if (csv != null) {
            writeCsv(rows, mean);
        }
        return 0;
    }

    private static void requireExists(Path p, String option) {
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(option + " " + p + " not found; check the path");
        }
    }

    /** Truth images with their predictions (and LR inputs); every truth image needs its partners. */
    private List<Pair> match() throws IOException {
        List<Path> truths = images(truth);
        if (truths.isEmpty()) {
            throw new IllegalArgumentException("no images in --truth folder " + truth);
        }
        Map<String, Path> predictions = index(images(prediction));
        Map<String, Path> lrs = lr == null ? Map.of() : index(images(lr));
        List<Pair> pairs = new ArrayList<>();
        List<String> noPrediction = new ArrayList<>();
        List<String> noLr = new ArrayList<>();
        for (Path t : truths) {
            String name = t.getFileName().toString();
            Path p = find(predictions, name);
            Path l = lr == null ? null : find(lrs, name);
            if (p == null) {
                noPrediction.add(name);
            }
            if (lr != null && l == null) {
                noLr.add(name);
            }
            pairs.add(new Pair(name, p, t, l));
        }
        if (!noPrediction.isEmpty()) {
            throw new IllegalArgumentException("no prediction in " + prediction + " for " + noPrediction.size()
                    + " truth image(s): " + abbreviate(noPrediction) + "; files are matched by name (with or without"
                    + " extension)");
        }
        if (!noLr.isEmpty()) {
            throw new IllegalArgumentException("no LR image in " + lr + " for " + noLr.size() + " truth image(s): "
                    + abbreviate(noLr) + "; files are matched by name (with or without extension)");
        }
        return pairs;
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(EvaluateCommand::looksLikeImage).sorted().toList();
        }
    }

    private static boolean looksLikeImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0 && Files.isRegularFile(p)
                && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** File name and base name → file; a base name shared by several files is ambiguous and left out. */
    private static Map<String, Path> index(List<Path> files) {
        Map<String, Path> byName = new LinkedHashMap<>();
        Map<String, Path> byBase = new LinkedHashMap<>();
        Set<String> ambiguous = new java.util.HashSet<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            byName.put(name, f);
            String base = CrappifyCommand.stem(f);
            if (byBase.putIfAbsent(base, f) != null) {
                ambiguous.add(base);
            }
        }
        ambiguous.forEach(byBase::remove);
        byBase.forEach((base, f) -> byName.putIfAbsent("\0" + base, f));
        return byName;
    }

    private static Path find(Map<String, Path> index, String name) {
        Path exact = index.get(name);
        return exact != null ? exact : index.get("\0" + CrappifyCommand.stem(Path.of(name)));
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + ", ... (" + (names.size() - 5) + " more)";
    }

    private Row score(Evaluation evaluation, Pair pair) throws BadInputException {
        try (ImageJStackSource t = ImageJStackSource.open(pair.truth());
                ImageJStackSource p = ImageJStackSource.open(pair.prediction());
                ImageJStackSource l = pair.lr() == null ? null : ImageJStackSource.open(pair.lr())) {
            StackShape ts = t.shape();
            StackShape ps = p.shape();
            if (ts.width() != ps.width() || ts.height() != ps.height() || ts.planeCount() != ps.planeCount()) {
                throw new BadInputException("prediction " + pair.prediction().getFileName() + " is " + describe(ps)
                        + " but truth " + pair.truth().getFileName() + " is " + describe(ts) + "; they must match");
            }
            int s = l == null ? 1 : lrScale(l.shape(), ts, pair);
            int planes = ts.planeCount();
            double[] sums = new double[13];
            for (int c = 0; c < ts.channels(); c++) {
                for (int z = 0; z < ts.slices(); z++) {
                    for (int f = 0; f < ts.frames(); f++) {
                        FloatPlane tp = t.readFinitePlane(c, z, f);
                        FloatPlane pp = p.readFinitePlane(c, z, f);
                        FloatPlane lp = l == null ? null : l.readFinitePlane(c, z, f);
                        if (flat(tp)) {
                            throw new BadInputException("truth " + pair.truth().getFileName() + " plane (c=" + (c + 1)
                                    + ", z=" + (z + 1) + ", t=" + (f + 1) + ") is flat; metrics need structure in the truth");
                        }
                        add(sums, evaluation.score(tp, pp, lp, s));
                    }
                }
            }
            for (int i = 0; i < sums.length; i++) {
                sums[i] /= planes;
            }
            return new Row(pair.name(), report(sums, 0), l == null ? null : report(sums, 4),
                    l == null ? null : report(sums, 8), sums[12]);
        }
    }

    private int lrScale(StackShape lrShape, StackShape truthShape, Pair pair) throws BadInputException {
        int s = scale != null ? scale : Math.max(1, Math.round((float) truthShape.width() / lrShape.width()));
        if (lrShape.width() * s != truthShape.width() || lrShape.height() * s != truthShape.height()
                || lrShape.planeCount() != truthShape.planeCount()) {
            throw new BadInputException("LR " + pair.lr().getFileName() + " is " + describe(lrShape) + ", which is not"
                    + " the truth's " + describe(truthShape) + " divided by " + s
                    + (scale == null ? "; give --scale" : "; check --scale"));
        }
        return s;
    }

    private static String describe(StackShape s) {
        return s.width() + "x" + s.height() + (s.planeCount() > 1 ? "x" + s.planeCount() + " planes" : "");
    }

    private static boolean flat(FloatPlane p) {
        float first = p.data()[0];
        for (float v : p.data()) {
            if (v != first) {
                return false;
            }
        }
        return true;
    }

    private static void add(double[] sums, Evaluation.Scores s) {
        put(sums, 0, s.model());
        if (s.bicubic() != null) {
            put(sums, 4, s.bicubic());
            put(sums, 8, s.smoothed());
            sums[12] += s.sigma();
        }
    }

    private static void put(double[] sums, int at, MetricReport r) {
        sums[at] += r.psnr();
        sums[at + 1] += r.ssim();
        sums[at + 2] += r.nrmse();
        sums[at + 3] += r.frcPx();
    }

    private static MetricReport report(double[] v, int at) {
        return new MetricReport(v[at], v[at + 1], v[at + 2], v[at + 3]);
    }

    private static Row mean(List<Row> rows) {
        double[] sums = new double[13];
        boolean baselines = rows.get(0).bicubic() != null;
        for (Row r : rows) {
            put(sums, 0, r.model());
            if (baselines) {
                put(sums, 4, r.bicubic());
                put(sums, 8, r.smoothed());
                sums[12] += r.sigma();
            }
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] /= rows.size();
        }
        return new Row("mean", report(sums, 0), baselines ? report(sums, 4) : null, baselines ? report(sums, 8) : null,
                sums[12]);
    }

    private static List<String> header(boolean baselines) {
        List<String> h = new ArrayList<>(List.of("image", "psnr", "ssim", "nrmse", "frc_px"));
        if (baselines) {
            h.addAll(List.of("bicubic_psnr", "bicubic_ssim", "smoothed_psnr", "smoothed_ssim", "smoothed_sigma"));
        }
        return h;
    }

    private static List<String> cells(Row r) {
        List<String> c = new ArrayList<>(List.of(r.name(), num(r.model().psnr(), 3), num(r.model().ssim(), 4),
                num(r.model().nrmse(), 5), num(r.model().frcPx(), 3)));
        if (r.bicubic() != null) {
            c.addAll(List.of(num(r.bicubic().psnr(), 3), num(r.bicubic().ssim(), 4), num(r.smoothed().psnr(), 3),
                    num(r.smoothed().ssim(), 4), num(r.sigma(), 2)));
        }
        return c;
    }

    private static String num(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static void printTable(PrintWriter out, List<Row> rows, Row mean) {
        List<List<String>> table = new ArrayList<>();
        table.add(header(rows.get(0).bicubic() != null));
        rows.forEach(r -> table.add(cells(r)));
        if (mean != null) {
            table.add(cells(mean));
        }
        int[] widths = new int[table.get(0).size()];
        for (List<String> line : table) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : table) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = line.get(i);
                // Names left-aligned, numbers right-aligned so decimals line up.
                sb.append(i == 0 ? String.format("%-" + widths[i] + "s", cell) : String.format("  %" + widths[i] + "s", cell));
            }
            out.println(sb.toString().stripTrailing());
        }
        if (rows.get(0).bicubic() == null) {
            return;
        }
        out.println("baselines from the LR images: bicubic, and bicubic of the Gaussian-smoothed LR with the sigma (LR px)"
                + " that maximises PSNR (an oracle)");
    }

    private void writeCsv(List<Row> rows, Row mean) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", header(rows.get(0).bicubic() != null))).append('\n');
        List<Row> all = new ArrayList<>(rows);
        all.add(mean);
        for (Row r : all) {
            List<String> c = cells(r);
            c.set(0, csvField(c.get(0)));
            sb.append(String.join(",", c)).append('\n');
        }
        Path parent = csv.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String folderJson(List<Row> rows, Row mean) {
        StringBuilder sb = new StringBuilder("{\"images\":[");
        for (int i = 0; i < rows.size(); i++) {
            sb.append(i > 0 ? "," : "").append("{\"name\":").append(jsonString(rows.get(i).name())).append(',')
                    .append(rows.get(i).model().toJson().substring(1));
        }
        return sb.append("],\"mean\":").append(mean.model().toJson()).append('}').toString();
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return sb.append('"').toString();
    }
}
