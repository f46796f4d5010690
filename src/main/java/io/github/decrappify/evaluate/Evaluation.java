package io.github.decrappify.evaluate;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.ImageSources;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.metrics.PairEvaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The evaluation job behind {@code decrappify evaluate} and Plugins › Decrappify › Decrappify Evaluate…: finds
 * the prediction/truth(/LR) pairs (two files, or folders matched by file name), reads them, scores each
 * plane with {@link PairEvaluation} and collects an {@link EvaluationReport}. Stacks are scored plane by
 * plane (the same number of planes in each file).
 *
 * <pre>{@code
 * EvaluationReport r = Evaluation.run(Evaluation.match(pred, truth, lr), options, log::info);
 * r.writeCsv(Path.of("scores.csv"));
 * }</pre>
 */
public final class Evaluation {

    private static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "gif", "bmp", "pgm");

    private Evaluation() {
    }

    /** One prediction with its truth and, for baselines, its LR input ({@code null} without). */
    public record Pair(String name, Path prediction, Path truth, Path lr) {
    }

    /**
     * Refuses, before anything is scored, output files that would destroy data: an output that is one of the
     * evaluation's inputs (always), the same file for two outputs, or, without {@code overwrite}, any existing
     * file. Paths that exist are compared as files (links and other spellings of one file are caught).
     *
     * @param outputs label (as the user named it, e.g. {@code --csv}) → file; {@code null} values are skipped
     */
    public static void checkOutputs(List<Pair> pairs, java.util.Map<String, Path> outputs, boolean overwrite)
            throws BadInputException {
        List<java.util.Map.Entry<String, Path>> seen = new ArrayList<>();
        for (java.util.Map.Entry<String, Path> o : outputs.entrySet()) {
            Path out = o.getValue();
            if (out == null) {
                continue;
            }
            for (Pair p : pairs) {
                for (Path in : new Path[] {p.prediction(), p.truth(), p.lr()}) {
                    if (in != null && sameFile(in, out)) {
                        throw new BadInputException(o.getKey() + " " + out + " is an input of this evaluation; choose"
                                + " another file");
                    }
                }
            }
            for (java.util.Map.Entry<String, Path> e : seen) {
                if (sameFile(e.getValue(), out)) {
                    throw new BadInputException(o.getKey() + " and " + e.getKey() + " name the same file " + out);
                }
            }
            if (Files.isDirectory(out)) {
                throw new BadInputException(o.getKey() + " " + out + " is a folder; give a file name");
            }
            if (!overwrite && Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new BadInputException(o.getKey() + " " + out + " already exists; choose another file or allow"
                        + " overwriting (--overwrite)");
            }
            seen.add(o);
        }
    }

    /** One file under two spellings (or links), or two spellings of one path that does not exist yet. */
    static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall back to comparing the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Pairs up files: a file with a file, or every image of the truth folder with the prediction (and
     * LR) of the same name in the other folders; the extension may differ ({@code a.png} ↔ {@code a.tif}).
     *
     * @param lr {@code null} for no baselines
     * @throws BadInputException with a one-line reason: missing paths, file/folder mix, unmatched names
     */
    public static List<Pair> match(Path prediction, Path truth, Path lr) throws BadInputException {
        // Named as both front ends call them (--prediction / "Prediction", ...): the message serves both.
        require(prediction, "prediction");
        require(truth, "truth");
        if (lr != null) {
            require(lr, "LR input");
        }
        boolean folders = Files.isDirectory(truth);
        if (Files.isDirectory(prediction) != folders || (lr != null && Files.isDirectory(lr) != folders)) {
            throw new BadInputException("prediction, truth and LR must all be files or all be folders");
        }
        if (!folders) {
            return List.of(new Pair(truth.getFileName().toString(), prediction, truth, lr));
        }
        List<Path> truths = images(truth);
        if (truths.isEmpty()) {
            throw new BadInputException("no images in the truth folder " + truth);
        }
        List<Pair> pairs = new ArrayList<>();
        List<String> noPrediction = new ArrayList<>();
        List<String> noLr = new ArrayList<>();
        for (Path t : truths) {
            String name = t.getFileName().toString();
            Path p = partner(prediction, name);
            Path l = lr == null ? null : partner(lr, name);
            if (p == null) {
                noPrediction.add(name);
            }
            if (lr != null && l == null) {
                noLr.add(name);
            }
            pairs.add(new Pair(name, p, t, l));
        }
        if (!noPrediction.isEmpty()) {
            throw new BadInputException(unmatched("prediction", prediction, noPrediction));
        }
        if (!noLr.isEmpty()) {
            throw new BadInputException(unmatched("LR image", lr, noLr));
        }
        return pairs;
    }

    private static String unmatched(String what, Path dir, List<String> names) {
        List<String> shown = names.subList(0, Math.min(5, names.size()));
        return "no " + what + " in " + dir + " for " + names.size() + " truth image(s): " + String.join(", ", shown)
                + (names.size() > shown.size() ? ", ..." : "") + " (pairs are matched by name)";
    }

    private static void require(Path p, String what) throws BadInputException {
        if (p == null || !Files.exists(p)) {
            throw new BadInputException(what + " " + p + " not found; check the path");
        }
    }

    private static List<Path> images(Path dir) throws BadInputException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Evaluation::isImage).sorted().toList();
        } catch (IOException e) {
            throw new BadInputException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return !n.startsWith(".") && dot > 0 && Files.isRegularFile(p)
                && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static Path partner(Path dir, String name) {
        Path same = dir.resolve(name);
        if (Files.isRegularFile(same)) {
            return same;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        for (String ext : new String[] {".tif", ".tiff", ".png", ".TIF", ".TIFF"}) {
            Path p = dir.resolve(stem + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Scores every pair; {@code progress} gets one line per image.
     *
     * @throws BadInputException with a one-line reason: unreadable, truncated, RGB or non-finite images (the
     *         checks of {@link ImageSources#open}), different plane counts or sizes
     */
    public static EvaluationReport run(List<Pair> pairs, PairEvaluation.Options options, Consumer<String> progress)
            throws BadInputException {
        List<EvaluationReport.Entry> entries = new ArrayList<>();
        int i = 0;
        for (Pair p : pairs) {
            progress.accept("Evaluating " + (++i) + "/" + pairs.size() + ": " + p.name());
            try (ImageStackSource truth = ImageSources.open(p.truth());
                    ImageStackSource pred = ImageSources.open(p.prediction());
                    ImageStackSource lr = p.lr() == null ? null : ImageSources.open(p.lr())) {
                int n = truth.planeCount();
                if (pred.planeCount() != n || (lr != null && lr.planeCount() != n)) {
                    throw new BadInputException(p.name() + ": truth has " + n + " plane(s) but the prediction "
                            + pred.planeCount() + (lr == null ? "" : " and the LR " + lr.planeCount()) + "; they must match");
                }
                io.github.decrappify.image.Calibration cal = truth.calibration();
                String unit = cal.isCalibrated() ? cal.unit() : null;
                double pixel = cal.isCalibrated() ? cal.pixelWidth() : Double.NaN;
                for (int z = 0; z < n; z++) {
                    String name = n == 1 ? p.name() : p.name() + " #" + (z + 1);
                    try {
                        PairEvaluation.Row row = PairEvaluation.evaluate(name, pred.readFinitePlane(z),
                                truth.readFinitePlane(z), lr == null ? null : lr.readFinitePlane(z), options);
                        entries.add(new EvaluationReport.Entry(row, pixel, unit));
                    } catch (IllegalArgumentException e) {
                        String m = e.getMessage();
                        throw new BadInputException(m.contains("match") ? m : m + "; sizes must match", e);
                    }
                }
            }
        }
        return new EvaluationReport(entries, options);
    }
}
