package io.github.decrappify.train.nogan;

import io.github.decrappify.model.Caches;
import io.github.decrappify.image.Folders;
import io.github.decrappify.train.TrainingListener;
import io.github.decrappify.train.Metrics;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.PresetIO;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.BundleWriter;
import io.github.decrappify.model.Checksums;
import io.github.decrappify.model.Npy;
import io.github.decrappify.net.Params;
import io.github.decrappify.net.SavedModelExport;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.LoadedModel;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import io.github.decrappify.train.CoverImage;
import io.github.decrappify.train.Crops;
import io.github.decrappify.train.ModelExport;
import io.github.decrappify.train.TrainJob;
import io.github.decrappify.train.TrainingPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes the fine-tuned generator as a model bundle that {@code restore} uses as it is: the generator
 * interpolated between the pre-GAN and the best GAN weights ({@link Interpolation}, {@code alpha}),
 * frozen into a SavedModel, test tensors and cover computed by the exported model itself, and full
 * provenance in {@code rdf.yaml} › {@code config.decrappify.training}: base model (with its weights'
 * checksum), data and drift corrections, every phase with its steps, thresholds and stop reason,
 * losses, validation metrics before (base model), after pretraining, of the best and of the exported
 * generator, next to bicubic and the best smoothed bicubic.
 */
public final class NoGanExport {

    /** DeOldify, where the NoGAN recipe comes from. */
    public static final BundleSpec.Citation DEOLDIFY = new BundleSpec.Citation(
            "Antic J. (2019). DeOldify: NoGAN training (pretrain generator and critic separately, then a short GAN phase).",
            null, "https://github.com/jantic/DeOldify");

    /** What the bundle records beyond the run itself. */
    public record Request(BaseModel base, FineTuneData.Loaded data, NoGanConfig config, NoGanTrainer.Outcome outcome,
            CrappifierParams crappifier, double alpha, String command, String license, String description,
            String dataNote, Device device, Path workDir) {}

    /** Scores of the exported model on the validation set, with the two baselines. */
    public record Exported(Path bundle, Metrics metrics, ModelExport.Scores scores) {}

    private NoGanExport() {}

    public static Exported write(Request r, Path output, boolean overwrite, List<TrainingListener> listeners)
            throws IOException, BundleException, RuntimeUnavailableException {
        UNetConfig net = r.config().net();
        Params weights = Interpolation.mix(r.outcome().preGan(), r.outcome().best(), r.alpha());
        Files.createDirectories(r.workDir());
        Path tmp = Files.createTempDirectory(r.workDir(), "export");
        try {
            Path savedModel = tmp.resolve("savedmodel");
            SavedModelExport.export(net, weights, savedModel);
            Metrics metrics;
            ModelExport.Scores scores;
            Npy.Tensor testIn;
            Npy.Tensor testOut;
            CoverImage cover;
            try (LoadedModel model = LoadedModel.load(savedModel, r.device())) {
                scores = ModelExport.evaluate(model, r.data().validation(), net.scale());
                metrics = new Metrics(scores.modelPsnr(), scores.modelSsim(), scores.modelFrc());
                TrainingPair show = showcase(r, net);
                int g = net.sizeMultiple();
                FloatPlane lr = Crops.crop(show.lr(), 0, 0, g, g);
                testIn = new Npy.Tensor(new int[] {1, g, g, net.inputChannels()}, lr.data());
                testOut = new Npy.Tensor(new int[] {1, g * net.scale(), g * net.scale(), 1},
                        model.predict(lr.data(), 1, g, g, net.inputChannels()).data());
                cover = CoverImage.of(model, show, net.scale());
            }
            String msg = String.format(Locale.ROOT, "Exported generator (alpha %.2f) on %d validation images: %s; bicubic"
                    + " %.2f dB / %.4f; best Gaussian-smoothed bicubic %.2f dB / %.4f (exported %+.2f dB)", r.alpha(),
                    scores.images(), metrics, scores.bicubicPsnr(), scores.bicubicSsim(), scores.smoothPsnr(),
                    scores.smoothSsim(), scores.modelPsnr() - scores.smoothPsnr());
            listeners.forEach(l -> l.onMessage(msg));
            String name = output.getFileName().toString();
            List<TrainingPair> val = r.data().validation();
            BundleSpec spec = ModelExport.withBf16Check(spec(r, name, metrics, scores), savedModel, testIn,
                    val.isEmpty() ? null : val.get(0), true, listeners);
            BundleWriter writer = new BundleWriter(spec, savedModel, testIn, testOut)
                    .optModelCard(FineTuneCard.markdown(spec, r, metrics, scores)).optOverwrite(overwrite)
                    .optCover(cover.rgb(), cover.width(), cover.height());
            Path parent = output.toAbsolutePath().getParent();
            return new Exported(writer.write(parent), metrics, scores);
        } finally {
            Folders.deleteTree(tmp);
        }
    }

    /**
     * A pair whose LR holds at least one tile grid cell (for the test tensor and the cover): the first
     * validation image if large enough, else a crop of the first large-enough training image, else (small
     * fields, e.g. after drift cropping) the largest training image mirror-padded to the grid.
     */
    static TrainingPair showcase(Request r, UNetConfig net) {
        int g = net.sizeMultiple();
        int s = net.scale();
        for (TrainingPair p : r.data().validation()) {
            if (p.lr().width() >= g && p.lr().height() >= g) {
                return p;
            }
        }
        TrainingPair largest = null;
        for (TrainingPair p : r.data().train()) {
            int lw = p.hr().width() / s;
            int lh = p.hr().height() / s;
            if (lw >= g && lh >= g) {
                int size = Math.min(Math.min(lw, lh), 2 * g) / g * g;
                return withLr(r, p, Crops.crop(p.hr(), 0, 0, size * s, size * s), size, size);
            }
            if (largest == null || (long) p.hr().width() * p.hr().height() > (long) largest.hr().width() * largest.hr().height()) {
                largest = p;
            }
        }
        int lw = Math.min(g, largest.hr().width() / s);
        int lh = Math.min(g, largest.hr().height() / s);
        TrainingPair small = withLr(r, largest, Crops.crop(largest.hr(), 0, 0, lw * s, lh * s), lw, lh);
        return new TrainingPair(small.name(), mirrorPad(small.hr(), g * s, g * s), mirrorPad(small.lr(), g, g));
    }

    private static TrainingPair withLr(Request r, TrainingPair p, FloatPlane hr, int lw, int lh) {
        if (p.paired()) {
            return new TrainingPair(p.name(), hr, Crops.crop(p.lr(), 0, 0, lw, lh));
        }
        Crappifier c = new Crappifier(r.crappifier());
        return new TrainingPair(p.name(), hr, TrainJob.degradeChannels(c, hr, c.params().typicalLevel(),
                new Random(r.config().seed())));
    }

    /** Extends a plane to {@code w × h} by mirroring at its right and bottom edges. */
    static FloatPlane mirrorPad(FloatPlane p, int w, int h) {
        int c = p.channels();
        float[] out = new float[w * h * c];
        for (int y = 0; y < h; y++) {
            int sy = mirror(y, p.height());
            for (int x = 0; x < w; x++) {
                System.arraycopy(p.data(), (sy * p.width() + mirror(x, p.width())) * c, out, (y * w + x) * c, c);
            }
        }
        return new FloatPlane(w, h, c, out);
    }

    private static int mirror(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    private static BundleSpec spec(Request r, String name, Metrics exported, ModelExport.Scores s) throws IOException {
        BundleSpec base = r.base().bundle().spec();
        NoGanTrainer.Outcome o = r.outcome();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", r.command());
        training.put("method", "NoGAN fine-tuning (DeOldify recipe): generator pretraining on pixel + feature loss,"
                + " critic pretraining on saved generated images, short GAN phases with a critic-loss threshold, stopped"
                + " at the inflection point of validation metrics");
        Map<String, Object> baseInfo = new LinkedHashMap<>();
        baseInfo.put("name", base.name());
        baseInfo.put("source", r.base().bundle().source().toString());
        baseInfo.put("weights_sha256", Checksums.sha256(r.base().bundle().directory().resolve(base.artifacts().weights().source())));
        baseInfo.put("license", base.license());
        baseInfo.put("recorded_validation_metrics", r.base().recordedMetrics());
        training.put("base_model", baseInfo);
        training.put("data", r.data().trainFiles());
        training.put("data_kind", r.data().paired() ? "real HR/LR pairs (LR matched by file name)"
                : "HR only; LR synthesised by the crappifier");
        training.put("validation_data", r.data().valFiles());
        training.put("validation_split", r.data().split());
        List<Object> drift = new ArrayList<>();
        for (Drift.Result d : r.data().drift()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image", d.name());
            m.put("dx_hr_px", Metrics.round(d.dx(), 3));
            m.put("dy_hr_px", Metrics.round(d.dy(), 3));
            m.put("corrected", d.corrected());
            drift.add(m);
        }
        training.put("drift", drift);
        training.put("data_note", r.dataNote());
        training.put("config", r.config().describe());
        training.put("phases", o.phases());
        Map<String, Object> val = new LinkedHashMap<>();
        val.put("base_model", o.base().toMap());
        val.put("pre_gan", o.preGanMetrics().toMap());
        val.put("best_gan", o.bestMetrics().toMap());
        val.put("best_from", o.bestFrom());
        val.put("exported", exported.toMap());
        // The bar every validation above was reported against during the run (the same images).
        val.put("best_blur", new Metrics(s.smoothPsnr(), s.smoothSsim(), s.smoothFrc()).toMap());
        training.put("validation", val);
        Map<String, Object> interp = new LinkedHashMap<>();
        interp.put("alpha", r.alpha());
        interp.put("formula", "alpha * pre_gan + (1 - alpha) * best_gan, per parameter");
        training.put("interpolation", interp);
        training.put("seconds_per_step", o.secondsPerStep());
        training.put("rollbacks", o.rollbacks());
        training.put("learning_rate_factor", o.lrFactor());
        training.put("history_header", NoGanTrainer.HISTORY_HEADER);
        training.put("validation_history", o.history().stream().filter(h -> h.split(",", 4)[2].equals("validation")).toList());
        training.put("validation_metrics", ModelExport.metrics(s)); // train's keys: model next to the best blur
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("decrappify", String.valueOf(NoGanExport.class.getPackage().getImplementationVersion()));
        versions.put("tensorflow", Caches.TENSORFLOW_VERSION);
        versions.put("java", System.getProperty("java.version"));
        training.put("versions", versions);
        training.put("seed", r.config().seed());

        List<String> tags = new ArrayList<>(base.tags());
        for (String t : List.of("nogan", "fine-tuned")) {
            if (!tags.contains(t)) {
                tags.add(t);
            }
        }
        List<BundleSpec.Citation> cite = new ArrayList<>(base.cite());
        cite.add(DEOLDIFY);
        String description = r.description() == null || r.description().isBlank()
                ? base.description() + " Fine-tuned from " + base.name() + " with NoGAN on "
                        + (r.data().paired() ? "real HR/LR pairs." : "the user's HR images.")
                : r.description();
        return BundleSpec.builder(name, base.scale(), base.modality())
                .optDescription(description)
                .optLicense(r.license() == null || r.license().isBlank() ? base.license() : r.license())
                .optAuthors(base.authors())
                .optCite(cite)
                .optTags(tags)
                .optInputFrames(base.inputChannels(), base.frameAxis())
                .optNormalisation(base.normalisation())
                .optSizes(base.minimumSize(), base.sizeMultiple())
                .optTiling(base.tile(), base.halo())
                .optCrappifier(r.crappifier() != null ? PresetIO.toMap(r.crappifier()) : base.crappifier())
                .optTraining(training)
                .build();
    }
}
