package io.github.decrappify.train.nogan;

import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.train.Crops;
import io.github.decrappify.train.TrainJob;
import io.github.decrappify.train.TrainingException;
import io.github.decrappify.train.TrainingImages;
import io.github.decrappify.train.TrainingPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The images of a fine-tuning run: HR files with real LR partners (matched by file name, checked for
 * the model's scale, drift measured and corrected) or HR files alone (LR synthesised by the crappifier
 * while training), normalised to percentiles 1–99.8 per plane, and a held-out validation set that is
 * fixed for the whole run.
 *
 * <p>Validation comes from {@code valHr} (+ {@code valLr}) when given; otherwise the last files are held
 * out (≥ {@link #MIN_FILES_TO_HOLD_OUT} files), and with fewer files a strip at the right of every
 * field (so one or two large pairs still leave a part the model never trains on).
 */
public final class FineTuneData {

    /** With fewer training files than this, validation is a strip of each field instead of whole files. */
    public static final int MIN_FILES_TO_HOLD_OUT = 4;

    /**
     * @param hr          HR files or folders
     * @param lr          folder of real LR partners, or {@code null} to synthesise LR
     * @param valHr       validation HR files/folders, or empty to hold out part of {@code hr}
     * @param valLr       real LR partners of {@code valHr}, or {@code null}
     * @param valFraction fraction of the files (or of each field's width) held out
     * @param valMaxLr    validation crops are at most this many LR pixels per side
     * @param crappifier  degradation for HR-only data and for validation LR without partners
     */
    public record Options(List<Path> hr, Path lr, List<Path> valHr, Path valLr, double valFraction, int valMaxLr,
            Drift.Mode drift, CrappifierParams crappifier, long seed) {}

    /** Loaded data, plus what the model card records about it. */
    public record Loaded(List<TrainingPair> train, List<TrainingPair> validation, List<String> trainFiles,
            List<String> valFiles, List<Drift.Result> drift, String split, boolean paired) {}

    private FineTuneData() {}

    public static Loaded load(Options o, UNetConfig net, int patchLr, Consumer<String> messages)
            throws IOException, TrainingException {
        int s = net.scale();
        if (o.lr() == null && o.crappifier() == null) {
            throw new TrainingException("HR images without LR partners need a crappifier preset, and the base"
                    + " model records none");
        }
        if (o.lr() != null && !Files.isDirectory(o.lr())) {
            throw new TrainingException("LR folder not found: " + o.lr());
        }
        List<Path> files = list(o.hr(), "HR");
        List<TrainingPair> all = new ArrayList<>();
        List<Drift.Result> drift = new ArrayList<>();
        if (o.lr() != null) {
            checkPartners(files, o.lr());
        }
        for (Path f : files) {
            all.addAll(read(f, o.lr(), net, o.drift(), drift, messages));
        }
        List<TrainingPair> train;
        List<TrainingPair> val;
        List<String> trainFiles = new ArrayList<>(files.stream().map(Path::toString).toList());
        List<String> valFiles;
        String split;
        Crappifier crappifier = o.crappifier() == null ? null : new Crappifier(o.crappifier());
        if (!o.valHr().isEmpty()) {
            List<Path> vf = list(o.valHr(), "validation HR");
            if (o.valLr() != null) {
                checkPartners(vf, o.valLr());
            } else if (crappifier == null) {
                throw new TrainingException("validation HR images need LR partners or a crappifier preset");
            }
            List<TrainingPair> v = new ArrayList<>();
            for (Path f : vf) {
                v.addAll(read(f, o.valLr(), net, o.drift(), drift, messages));
            }
            train = all;
            val = validation(v, crappifier, net, o);
            valFiles = vf.stream().map(Path::toString).toList();
            split = "validation on " + vf.size() + " separate file(s)";
        } else if (files.size() >= MIN_FILES_TO_HOLD_OUT) {
            int nVal = Math.max(1, (int) Math.round(files.size() * o.valFraction()));
            Set<String> held = new HashSet<>();
            files.subList(files.size() - nVal, files.size()).forEach(p -> held.add(p.getFileName().toString()));
            train = new ArrayList<>();
            List<TrainingPair> v = new ArrayList<>();
            for (TrainingPair p : all) {
                (held.contains(fileOf(p.name())) ? v : train).add(p);
            }
            val = validation(v, crappifier, net, o);
            valFiles = files.subList(files.size() - nVal, files.size()).stream().map(Path::toString).toList();
            trainFiles = trainFiles.subList(0, files.size() - nVal);
            split = "the last " + nVal + " of " + files.size() + " files held out for validation";
        } else {
            train = new ArrayList<>();
            List<TrainingPair> v = new ArrayList<>();
            for (TrainingPair p : all) {
                TrainingPair[] parts = strip(p, net, o.valFraction(), patchLr);
                train.add(parts[0]);
                v.add(parts[1]);
            }
            val = validation(v, crappifier, net, o);
            valFiles = List.of();
            split = String.format(Locale.ROOT, "a strip (%.0f%% of the width, on the side with more structure) of each field held out for validation"
                    + " (fewer than %d files)",
                    100 * o.valFraction(), MIN_FILES_TO_HOLD_OUT);
        }
        if (val.isEmpty()) {
            throw new TrainingException("no validation image is large enough (at least " + net.minMultiple()
                    + " LR px per side); give larger validation HR images");
        }
        for (TrainingPair p : train) {
            if (p.hr().width() < patchLr * s || p.hr().height() < patchLr * s) {
                throw new TrainingException("training image " + p.name() + " is " + p.hr().width() + "x" + p.hr().height()
                        + " HR px, smaller than the " + patchLr * s + " px HR patch; use a smaller patch size (multiple of "
                        + net.minMultiple() + ")");
            }
        }
        messages.accept("Fine-tuning data: " + train.size() + " training plane(s) from " + trainFiles.size() + " file(s), "
                + (o.lr() != null ? "real LR partners" : "LR synthesised by the crappifier") + "; " + split + " ("
                + val.size() + " validation image(s))");
        return new Loaded(train, val, trainFiles, valFiles, drift, split, o.lr() != null);
    }

    private static List<Path> list(List<Path> paths, String what) throws TrainingException {
        if (paths == null || paths.isEmpty()) {
            throw new TrainingException("no " + what + " images given");
        }
        try {
            return TrainingImages.list(paths);
        } catch (IOException e) {
            throw new TrainingException(what + " images: " + e.getMessage());
        }
    }

    /** Every HR file needs an LR file of the same name, and every LR image an HR partner. */
    private static void checkPartners(List<Path> hrFiles, Path lrDir) throws IOException, TrainingException {
        Set<String> hrNames = new HashSet<>();
        for (Path f : hrFiles) {
            hrNames.add(f.getFileName().toString());
            if (!Files.isRegularFile(lrDir.resolve(f.getFileName().toString()))) {
                throw new TrainingException("HR " + f.getFileName() + " has no LR partner in " + lrDir
                        + " (pairs are matched by file name)");
            }
        }
        List<Path> lrFiles;
        try {
            lrFiles = TrainingImages.list(List.of(lrDir));
        } catch (IOException e) {
            throw new TrainingException("LR images: " + e.getMessage());
        }
        for (Path l : lrFiles) {
            if (!hrNames.contains(l.getFileName().toString())) {
                throw new TrainingException("LR " + l.getFileName() + " in " + lrDir + " has no HR partner of the same name");
            }
        }
    }

    /** File name part of a plane name ({@code "a.tif z3"} → {@code "a.tif"}). */
    private static String fileOf(String planeName) {
        int sp = planeName.indexOf(' ');
        return sp < 0 ? planeName : planeName.substring(0, sp);
    }

    private static List<TrainingPair> read(Path f, Path lrDir, UNetConfig net, Drift.Mode mode, List<Drift.Result> drift,
            Consumer<String> messages) throws IOException, TrainingException {
        int s = net.scale();
        List<TrainingImages.Named> hr = TrainingImages.read(List.of(f), net.inputChannels());
        List<TrainingImages.Named> lr = null;
        Path lf = null;
        if (lrDir != null) {
            lf = lrDir.resolve(f.getFileName().toString());
            lr = TrainingImages.read(List.of(lf), net.inputChannels());
            if (lr.size() != hr.size()) {
                throw new TrainingException("LR " + lf.getFileName() + " has " + lr.size() + " planes, HR has " + hr.size());
            }
        }
        List<TrainingPair> out = new ArrayList<>();
        for (int i = 0; i < hr.size(); i++) {
            FloatPlane h = TrainJob.normalise(hr.get(i).plane());
            if (lr == null) {
                out.add(new TrainingPair(hr.get(i).name(), h, null));
                continue;
            }
            FloatPlane l = TrainJob.normalise(lr.get(i).plane());
            checkRatio(hr.get(i).name(), h, l, s);
            if (h.width() != l.width() * s || h.height() != l.height() * s) {
                h = Crops.crop(h, 0, 0, l.width() * s, l.height() * s);
            }
            Drift.Result d;
            try {
                d = Drift.apply(new TrainingPair(hr.get(i).name(), h, l), s, mode);
            } catch (IllegalArgumentException e) {
                throw new TrainingException(e.getMessage());
            }
            if (mode != Drift.Mode.OFF) {
                drift.add(d);
                messages.accept(d.describe());
            }
            out.add(d.pair());
        }
        return out;
    }

    private static void checkRatio(String name, FloatPlane h, FloatPlane l, int s) throws TrainingException {
        boolean ok = h.width() >= l.width() * s && h.width() < l.width() * s + s && h.height() >= l.height() * s
                && h.height() < l.height() * s + s;
        if (!ok) {
            throw new TrainingException(String.format(Locale.ROOT, "%s: HR is %dx%d and LR %dx%d, a ratio of %.2f;"
                    + " the base model needs LR images exactly %d times smaller than HR", name, h.width(), h.height(),
                    l.width(), l.height(), h.width() / (double) l.width(), s));
        }
    }

    /**
     * Splits a pair into a training part and a validation strip at the left or right edge, whichever
     * holds more structure (HR standard deviation): a strip of empty background would validate nothing.
     * Widths are multiples of the LR grid.
     */
    private static TrainingPair[] strip(TrainingPair p, UNetConfig net, double fraction, int patchLr) throws TrainingException {
        int s = net.scale();
        int lrW = p.hr().width() / s;
        int lrH = p.hr().height() / s;
        int m = net.minMultiple();
        int valW = Math.max(m, (int) Math.round(lrW * fraction) / m * m);
        int trainW = lrW - valW;
        if (trainW < patchLr) {
            throw new TrainingException(p.name() + " is too small to hold out a validation strip and still train on "
                    + patchLr + " px LR patches; give validation HR images, more images or a smaller patch size");
        }
        int valH = lrH / m * m;
        boolean left = structure(Crops.crop(p.hr(), 0, 0, valW * s, valH * s))
                > structure(Crops.crop(p.hr(), trainW * s, 0, valW * s, valH * s));
        int valX = left ? 0 : trainW;
        int trainX = left ? valW : 0;
        FloatPlane hrTrain = Crops.crop(p.hr(), trainX * s, 0, trainW * s, lrH * s);
        FloatPlane hrVal = Crops.crop(p.hr(), valX * s, 0, valW * s, valH * s);
        FloatPlane lrTrain = p.paired() ? Crops.crop(p.lr(), trainX, 0, trainW, lrH) : null;
        FloatPlane lrVal = p.paired() ? Crops.crop(p.lr(), valX, 0, valW, valH) : null;
        return new TrainingPair[] {new TrainingPair(p.name(), hrTrain, lrTrain),
            new TrainingPair(p.name() + (left ? " left strip" : " right strip"), hrVal, lrVal)};
    }

    private static double structure(FloatPlane hr) {
        return Crops.std(hr.channels() == 1 ? hr : hr.channel(hr.channels() / 2));
    }

    /**
     * Validation pairs: a centred crop of each plane (LR sides multiples of the network's minimum
     * multiple, at most {@code valMaxLr}), LR from the partner or made once by the crappifier at its
     * typical noise level with a fixed seed.
     */
    private static List<TrainingPair> validation(List<TrainingPair> planes, Crappifier crappifier, UNetConfig net, Options o) {
        int s = net.scale();
        int m = net.minMultiple();
        List<TrainingPair> out = new ArrayList<>();
        int i = 0;
        for (TrainingPair p : planes) {
            int lw = Math.min(o.valMaxLr(), p.hr().width() / s) / m * m;
            int lh = Math.min(o.valMaxLr(), p.hr().height() / s) / m * m;
            if (lw < m || lh < m) {
                continue;
            }
            int x = (p.hr().width() / s - lw) / 2;
            int y = (p.hr().height() / s - lh) / 2;
            FloatPlane hr = Crops.crop(p.hr(), x * s, y * s, lw * s, lh * s);
            FloatPlane lr = p.paired() ? Crops.crop(p.lr(), x, y, lw, lh)
                    : TrainJob.degradeChannels(crappifier, hr, crappifier.params().typicalLevel(),
                            new Random((o.seed() ^ 0x5DEECE66DL) + i));
            i++;
            out.add(new TrainingPair(p.name(), hr, lr));
        }
        return out;
    }
}
