package io.github.decrappify.train;

import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.NoiseLevel;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Percentiles;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.net.Params;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import io.github.decrappify.runtime.TensorFlowNatives;
import io.github.decrappify.train.nogan.BaseModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A complete generator training run from folders of images: read and normalise the data, hold out a
 * validation split, synthesise LR inputs with the crappifier (or use real LR pairs), train, and
 * return the weights with everything a model card needs. The CLI {@code train} and the Fiji Train
 * command both call this.
 */
public final class TrainJob {

    /**
     * @param hr          HR training files or folders
     * @param lr          folder of real LR images matched to {@code hr} by {@link PairMatcher}, or {@code null};
     *                    then no synthetic noise is added and the preset is only recorded in the bundle
     * @param valHr       HR validation files/folders (another specimen), or empty to hold out files (targets)
     * @param valLr       real LR partners of {@code valHr} (required when {@code lr} is given with {@code valHr})
     * @param valFraction fraction of HR files held out when {@code valHr} is empty
     * @param valMaxLr    validation crops are at most this many LR pixels per side
     * @param overwrite   the export may replace an existing bundle ({@link TrainRuns#checkOutputs} ran first)
     */
    public record Options(List<Path> hr, Path lr, List<Path> valHr, Path valLr, double valFraction, int valMaxLr,
            CrappifierParams crappifier, TrainConfig train, Path workDir, boolean resume, boolean overwrite, Device device,
            SelfSupervision selfSupervision) {

        /** Supervised training (HR images, with the crappifier or real LR partners). */
        public Options(List<Path> hr, Path lr, List<Path> valHr, Path valLr, double valFraction, int valMaxLr,
                CrappifierParams crappifier, TrainConfig train, Path workDir, boolean resume, boolean overwrite,
                Device device) {
            this(hr, lr, valHr, valLr, valFraction, valMaxLr, crappifier, train, workDir, resume, overwrite, device, null);
        }

        public boolean selfSupervised() {
            return selfSupervision != null;
        }
    }

    /**
     * Self-supervised (Noise2Void) training: {@link Options#hr()} then holds the noisy images, which are
     * their own targets; no crappifier, no clean validation truth.
     *
     * @param masker the blind-spot masking of every patch
     * @param base   a x1 single-frame model to fine-tune, or {@code null} to start from scratch
     */
    public record SelfSupervision(BlindSpotMasker masker, ModelBundle base, double centreWeight) {

        /** {@link CentreWeight} estimated from the noisy images after training. */
        public SelfSupervision(BlindSpotMasker masker, ModelBundle base) {
            this(masker, base, AUTO);
        }

        /** {@code centreWeight} value meaning "estimate it" ({@link CentreWeight#estimate}). */
        public static final double AUTO = Double.NaN;

        public SelfSupervision {
            if (!Double.isNaN(centreWeight) && !(centreWeight >= 0 && centreWeight <= CentreWeight.MAX)) {
                throw new IllegalArgumentException("the centre weight must be from 0 to " + CentreWeight.MAX + ", got "
                        + centreWeight);
            }
        }
    }

    /** What a finished (or cancelled) run produced. */
    public record Outcome(Params weights, Trainer.Result training, List<String> trainFiles, List<String> valFiles,
            List<TrainingPair> validation, CentreWeight.Estimate centreWeight) {

        /** A run without a centre weight (supervised, or not finished). */
        public Outcome(Params weights, Trainer.Result training, List<String> trainFiles, List<String> valFiles,
                List<TrainingPair> validation) {
            this(weights, training, trainFiles, valFiles, validation, null);
        }
    }

    private final Options opt;
    private boolean bf16;

    public TrainJob(Options opt) {
        this.opt = opt;
    }

    /** Trains in mixed precision on the CPU ({@link Trainer#optBf16}); {@link TrainRuns#bf16} says when to. */
    public TrainJob optBf16(boolean on) {
        this.bf16 = on;
        return this;
    }

    public Outcome run(List<TrainingListener> listeners) throws IOException, TrainingException, RuntimeUnavailableException {
        TensorFlowNatives.prepare(opt.device());
        if (opt.selfSupervised()) {
            return runSelfSupervised(listeners);
        }
        UNetConfig net = opt.train().net();
        if (opt.crappifier().scale() != net.scale()) {
            throw new TrainingException("the crappifier scale " + opt.crappifier().scale() + " differs from the model scale "
                    + net.scale());
        }
        List<Path> files = TrainingImages.list(opt.hr());
        List<Path> valFiles;
        List<TrainingPair> train;
        List<TrainingPair> valPlanes;
        List<String> trainNames;
        if (opt.lr() == null) {
            if (opt.valHr().isEmpty()) {
                int nVal = holdOut(files.size(), "files");
                valFiles = new ArrayList<>(files.subList(files.size() - nVal, files.size()));
                files = new ArrayList<>(files.subList(0, files.size() - nVal));
            } else {
                valFiles = TrainingImages.list(opt.valHr());
            }
            train = read(files, net.inputChannels());
            valPlanes = read(valFiles, net.inputChannels());
            trainNames = names(files);
        } else {
            List<PairMatcher.Match> matches = PairMatcher.match(files, lrFiles(opt.lr(), "--lr"));
            List<PairMatcher.Match> valMatches;
            if (opt.valHr().isEmpty()) {
                int nVal = holdOut(matches.size(), "HR targets");
                valMatches = matches.subList(matches.size() - nVal, matches.size());
                matches = matches.subList(0, matches.size() - nVal);
            } else if (opt.valLr() == null) {
                throw new TrainingException("validation HR images of real pairs need their noisy partners: give the"
                        + " validation LR folder too (--val-lr)");
            } else {
                valMatches = PairMatcher.match(TrainingImages.list(opt.valHr()), lrFiles(opt.valLr(), "--val-lr"));
            }
            train = readPairs(matches, net.inputChannels());
            valPlanes = readPairs(valMatches, net.inputChannels());
            files = matches.stream().map(PairMatcher.Match::target).toList();
            valFiles = valMatches.stream().map(PairMatcher.Match::target).toList();
            trainNames = new ArrayList<>(names(files));
            matches.forEach(m -> trainNames.addAll(names(m.inputs())));
        }
        for (TrainingListener l : listeners) {
            l.onMessage("Training on " + train.size() + " planes from " + files.size() + " files"
                    + (opt.lr() != null ? " (real LR partners from " + opt.lr() + ", no synthetic noise)" : "")
                    + "; validating on " + valFiles.size() + " files");
        }
        Crappifier crappifier = new Crappifier(opt.crappifier());
        if (opt.valMaxLr() < net.sizeMultiple()) {
            throw new TrainingException("the validation crop size " + opt.valMaxLr() + " LR px is below the network's "
                    + net.sizeMultiple() + "-px grid; use at least " + net.sizeMultiple());
        }
        List<String> tooSmall = new ArrayList<>();
        List<TrainingPair> val = validation(valPlanes, crappifier, net, tooSmall);
        int minHr = net.sizeMultiple() * net.scale();
        if (val.isEmpty()) {
            throw new TrainingException("no validation image is large enough: each needs at least " + minHr + "x" + minHr
                    + " HR pixels (the network's " + net.sizeMultiple() + "-px grid at scale " + net.scale() + "); too small: "
                    + String.join(", ", tooSmall));
        }
        if (!tooSmall.isEmpty()) {
            for (TrainingListener l : listeners) {
                l.onMessage("Validation skips " + tooSmall.size() + " image(s) smaller than " + minHr + "x" + minHr
                        + " HR pixels: " + String.join(", ", tooSmall));
            }
        }
        PatchSampler sampler = new PatchSampler(train, opt.lr() != null ? null : degrader(crappifier), net.scale(),
                opt.train().patchLr(), net.inputChannels(), opt.train().recipe());
        Trainer trainer = new Trainer(opt.train(), sampler, new Validation(val), opt.workDir())
                .optAllowGpu(opt.device() != Device.CPU).optBf16(bf16);
        Files.createDirectories(opt.workDir());
        Trainer.Result r = trainer.run(null, opt.resume(), listeners);
        return new Outcome(r.weights(), r, trainNames, names(valFiles), val);
    }

    /**
     * Blind-spot training on the noisy planes: every plane trains (there is no truth to validate
     * against), and a centred crop of the first one becomes the bundle's test input and cover.
     */
    private Outcome runSelfSupervised(List<TrainingListener> listeners) throws IOException, TrainingException {
        SelfSupervision ss = opt.selfSupervision();
        TrainConfig cfg = opt.train();
        Params start = null;
        if (ss.base() != null) {
            BaseModel base = BaseModel.of(ss.base());
            if (base.config().scale() != 1 || base.config().inputChannels() != 1) {
                throw new TrainingException("base model '" + base.name() + "' is x" + base.config().scale() + " with "
                        + base.config().inputChannels() + " input frame(s); self-supervised fine-tuning needs a x1"
                        + " single-frame model (a denoiser): choose another -m, or leave it out to train from scratch");
            }
            UNetConfig net = base.config();
            cfg = new TrainConfig(net, cfg.patchLr(), cfg.batch(), cfg.steps(), cfg.maxLr(), cfg.warmupSteps(),
                    cfg.ssimWeight(), cfg.validateEvery(), cfg.checkpointEvery(), cfg.seed(), cfg.threads(), cfg.recipe());
            start = base.weights();
            for (TrainingListener l : listeners) {
                l.onMessage("Fine-tuning base model " + base.name() + " (" + base.weights().count() + " parameters)");
            }
        }
        if (cfg.net().scale() != 1 || cfg.net().inputChannels() != 1) {
            throw new TrainingException("self-supervised training makes x1 single-frame denoisers; use scale 1");
        }
        List<TrainingPair> noisy = NoisyImages.read(opt.hr(), norm(), cfg.patchLr(), "the noisy images");
        for (TrainingListener l : listeners) {
            l.onMessage(String.format(Locale.ROOT, "Self-supervised (Noise2Void) training on %d noisy planes: %d of"
                    + " every %d pixels per %dx%d patch replaced by a neighbour from the %dx%d window and scored",
                    noisy.size(), 1, ss.masker().cell() * ss.masker().cell(), cfg.patchLr(), cfg.patchLr(),
                    2 * ss.masker().radius() + 1, 2 * ss.masker().radius() + 1));
        }
        BlindSpotBatches batches = new BlindSpotBatches(noisy, cfg.patchLr(), cfg.recipe(), ss.masker());
        Trainer trainer = new Trainer(cfg, batches::sample, new Validation(List.of()), opt.workDir())
                .optBlindSpot(ss.masker()).optAllowGpu(opt.device() != Device.CPU).optBf16(bf16);
        Files.createDirectories(opt.workDir());
        Trainer.Result r = trainer.run(start, opt.resume(), listeners);
        Params weights = r.weights();
        CentreWeight.Estimate blend = null;
        if (r.completed()) {
            blend = centreWeight(cfg.net(), weights, noisy, ss.centreWeight());
            weights = CentreWeight.fold(weights, blend.weight());
            for (TrainingListener l : listeners) {
                l.onMessage("Share of the noisy pixel put back into the blind-spot output: " + blend);
            }
        }
        FloatPlane first = noisy.get(0).hr();
        int grid = cfg.net().sizeMultiple();
        int w = Math.min(opt.valMaxLr(), first.width() / grid * grid);
        int h = Math.min(opt.valMaxLr(), first.height() / grid * grid);
        List<TrainingPair> sample = new ArrayList<>();
        if (w >= grid && h >= grid) {
            FloatPlane crop = Crops.centre(first, w, h);
            sample.add(new TrainingPair(noisy.get(0).name(), crop, crop));
        }
        return new Outcome(weights, r, names(TrainingImages.list(opt.hr())), List.of(), sample, blend);
    }

    /**
     * The {@link CentreWeight} of a trained blind-spot network: given, or estimated from its outputs on the
     * noisy planes (central squares, run through the exported model as a restore would).
     */
    private CentreWeight.Estimate centreWeight(UNetConfig net, Params weights, List<TrainingPair> noisy, double given)
            throws IOException, TrainingException {
        if (!Double.isNaN(given)) {
            return CentreWeight.Estimate.given(given);
        }
        int g = net.sizeMultiple();
        List<FloatPlane> inputs = new ArrayList<>();
        List<FloatPlane> outputs = new ArrayList<>();
        Path tmp = Files.createTempDirectory(opt.workDir(), "centre");
        try {
            Path saved = tmp.resolve("savedmodel");
            io.github.decrappify.net.SavedModelExport.export(net, weights, saved);
            try (io.github.decrappify.runtime.LoadedModel model = io.github.decrappify.runtime.LoadedModel.load(saved,
                    opt.device())) {
                for (TrainingPair p : noisy) {
                    FloatPlane y = p.hr();
                    int w = Math.min(CentreWeight.MAX_SIDE, y.width()) / g * g;
                    int h = Math.min(CentreWeight.MAX_SIDE, y.height()) / g * g;
                    if (w < g || h < g) {
                        continue;
                    }
                    FloatPlane crop = Crops.centre(y, w, h);
                    float[] out = model.predict(crop.data(), 1, h, w, 1).data();
                    inputs.add(crop);
                    outputs.add(new FloatPlane(w, h, out));
                }
            }
        } catch (RuntimeUnavailableException e) {
            throw new TrainingException("cannot run the trained model to measure its centre weight: " + e.getMessage());
        } finally {
            io.github.decrappify.image.Folders.deleteTree(tmp);
        }
        if (inputs.isEmpty()) {
            throw new TrainingException("no noisy plane holds a " + g + "x" + g + " square to measure the centre weight on;"
                    + " give larger images or --centre-weight W");
        }
        return CentreWeight.estimate(inputs, outputs);
    }

    private int holdOut(int n, String what) throws TrainingException {
        int nVal = (int) Math.round(n * opt.valFraction());
        if (nVal < 1 || nVal >= n) {
            throw new TrainingException("cannot hold out " + opt.valFraction() + " of " + n + " " + what
                    + " for validation; give validation HR images of another specimen");
        }
        return nVal;
    }

    private static List<Path> lrFiles(Path dir, String option) throws TrainingException, IOException {
        if (!Files.isDirectory(dir)) {
            throw new TrainingException("LR folder not found: " + dir + " (" + option + ")");
        }
        return TrainingImages.list(List.of(dir));
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(Path::toString).toList();
    }

    /** HR-only files, each plane normalised to the recipe's percentiles. */
    private List<TrainingPair> read(List<Path> files, int frames) throws IOException, TrainingException {
        List<TrainingPair> out = new ArrayList<>();
        for (Path f : files) {
            for (TrainingImages.Named n : TrainingImages.read(List.of(f), frames)) {
                out.add(new TrainingPair(n.name(), normalise(n.plane(), norm()), null));
            }
        }
        return out;
    }

    /**
     * Real pairs: each LR input with its HR target, both normalised to the recipe's percentiles per plane (a
     * target read and normalised once, shared by all its inputs).
     */
    private List<TrainingPair> readPairs(List<PairMatcher.Match> matches, int frames) throws IOException, TrainingException {
        List<TrainingPair> out = new ArrayList<>();
        int s = opt.train().net().scale();
        for (PairMatcher.Match m : matches) {
            List<TrainingImages.Named> hr = TrainingImages.read(List.of(m.target()), frames);
            List<FloatPlane> targets = hr.stream().map(n -> normalise(n.plane(), norm())).toList();
            for (Path lf : m.inputs()) {
                List<TrainingImages.Named> lr = TrainingImages.read(List.of(lf), frames);
                if (lr.size() != hr.size()) {
                    throw new TrainingException("LR " + lf.getFileName() + " has " + lr.size() + " planes, its HR "
                            + m.target().getFileName() + " has " + hr.size());
                }
                for (int i = 0; i < hr.size(); i++) {
                    FloatPlane h = targets.get(i);
                    FloatPlane l = normalise(lr.get(i).plane(), norm());
                    if (l.width() * s != h.width() || l.height() * s != h.height()) {
                        throw new TrainingException("LR " + lr.get(i).name() + " is " + l.width() + "x" + l.height()
                                + ", its HR " + hr.get(i).name() + " is " + h.width() + "x" + h.height()
                                + ": the ratio must equal the scale " + s);
                    }
                    out.add(new TrainingPair(lr.get(i).name(), h, l));
                }
            }
        }
        return out;
    }

    /**
     * Validation pairs: a centred crop of each plane (a multiple of the network's grid), its LR the real
     * partner's crop or made once with the crappifier's typical noise level and a fixed seed.
     */
    private List<TrainingPair> validation(List<TrainingPair> planes, Crappifier crappifier, UNetConfig net,
            List<String> tooSmall) {
        List<TrainingPair> out = new ArrayList<>();
        int s = net.scale();
        int grid = net.sizeMultiple();
        long seed = opt.train().seed() ^ 0x5DEECE66DL;
        int i = 0;
        for (TrainingPair p : planes) {
            FloatPlane hr = p.hr();
            int lw = Math.min(opt.valMaxLr(), hr.width() / s / grid * grid);
            int lh = Math.min(opt.valMaxLr(), hr.height() / s / grid * grid);
            if (lw < grid || lh < grid) {
                tooSmall.add(p.name() + " (" + hr.width() + "x" + hr.height() + ")");
                continue;
            }
            int x = (hr.width() / s - lw) / 2;
            int y = (hr.height() / s - lh) / 2;
            FloatPlane lr;
            FloatPlane crop;
            if (p.paired()) {
                crop = Crops.crop(hr, x * s, y * s, lw * s, lh * s);
                lr = Crops.crop(p.lr(), x, y, lw, lh);
            } else {
                crop = Crops.crop(hr, (hr.width() - lw * s) / 2, (hr.height() - lh * s) / 2, lw * s, lh * s);
                lr = degradeChannels(crappifier, crop, crappifier.params().typicalLevel(), new Random(seed + i++));
            }
            out.add(new TrainingPair(p.name(), crop, lr));
        }
        return out;
    }

    public static Degrader degrader(Crappifier c) {
        return (hr, rng) -> degradeChannels(c, hr, c.params().sampleLevel(rng), rng);
    }

    /** Multi-frame planes: every channel gets the same noise level, drawn once per sample. */
    public static FloatPlane degradeChannels(Crappifier c, FloatPlane hr, NoiseLevel level, Random rng) {
        if (hr.channels() == 1) {
            return c.apply(hr, level, rng);
        }
        FloatPlane[] lr = new FloatPlane[hr.channels()];
        for (int k = 0; k < lr.length; k++) {
            lr[k] = c.apply(hr.channel(k), level, rng);
        }
        return TrainingImages.interleave(lr);
    }

    private BundleSpec.PercentileRange norm() {
        return opt.train().recipe().normalisation();
    }

    /** Percentile normalisation (the default percentiles) of a (multi-channel) plane; the centre channel sets the range. */
    public static FloatPlane normalise(FloatPlane p) {
        return normalise(p, BundleSpec.PercentileRange.DEFAULT);
    }

    /** Percentile normalisation of a (multi-channel) plane; the centre channel sets the range. */
    public static FloatPlane normalise(FloatPlane p, BundleSpec.PercentileRange n) {
        FloatPlane ref = p.channels() == 1 ? p : p.channel(p.channels() / 2);
        double[] r = Percentiles.range(ref.data(), n.lowPercentile(), n.highPercentile());
        double scale = r[1] > r[0] ? 1 / (r[1] - r[0]) : 1;
        float[] d = new float[p.data().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((p.data()[i] - r[0]) * scale);
        }
        return new FloatPlane(p.width(), p.height(), p.channels(), d);
    }
}
