package io.github.decrappify.train.nogan;

import io.github.decrappify.train.TrainingListener;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.Licenses;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import io.github.decrappify.runtime.TensorFlowNatives;
import io.github.decrappify.train.PatchSampler;
import io.github.decrappify.train.TrainJob;
import io.github.decrappify.train.TrainRuns;
import io.github.decrappify.train.TrainingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A complete fine-tuning run, shared by {@code decrappify finetune} and the Fiji command "Fine-tune
 * (NoGAN)…": open the base model, load and check the data, run the NoGAN recipe with checkpoints,
 * export the bundle. Everything is checked before training starts (output location, base model, data),
 * so a long run never ends in an avoidable error; the base model is only read.
 *
 * <pre>{@code
 * FineTuneJob.Options opt = new FineTuneJob.Options("em-x4-unet-s", List.of(hr), null, List.of(), null, 0.1, 256,
 *         Drift.Mode.CORRECT, null, bundle, null, false, 0.0, Device.AUTO, false, "", "", "", "command line",
 *         net -> NoGanConfig.builder(net).quick().build());
 * FineTuneJob.Result r = new FineTuneJob(store, opt).run(listeners);
 * }</pre>
 */
public final class FineTuneJob {

    /**
     * @param model     base model: installed name, bundle folder or zip
     * @param preset    crappifier for HR-only data: a preset name or file; {@code null} = the base model's
     * @param work      checkpoints and logs; {@code null} = {@code <output>.work}
     * @param alpha     interpolation at export: 1 = pre-GAN generator, 0 = best GAN generator
     * @param overwrite replace an existing output bundle (never a folder that is not a bundle) and start over an
     *                  earlier run's checkpoint without {@code resume}
     * @param config    the NoGAN settings, given the base model's generator configuration
     */
    public record Options(String model, List<Path> hr, Path lr, List<Path> valHr, Path valLr, double valFraction,
            int valMax, Drift.Mode drift, String preset, Path output, Path work, boolean resume, double alpha, Device device,
            boolean overwrite, String license, String description, String dataNote, String command,
            Function<UNetConfig, NoGanConfig> config) {

        /** Share of the HR images held out for validation when no {@code valHr} is given. */
        public static final double DEFAULT_VAL_FRACTION = 0.1;
        /** Validation crops are at most this many LR pixels per side. */
        public static final int DEFAULT_VAL_MAX = 256;

        /**
         * Options by name: the base model, the HR images, the output bundle and the NoGAN settings are required;
         * the rest start as the command line's defaults (no LR partners or validation images, validation fraction
         * {@value #DEFAULT_VAL_FRACTION}, crops of at most {@value #DEFAULT_VAL_MAX} LR px, drift corrected, the base
         * model's crappifier, work folder beside the output, alpha 0, device auto, no resume or overwrite, empty
         * licence, description, data note and command line).
         */
        public static Builder builder(String model, List<Path> hr, Path output, Function<UNetConfig, NoGanConfig> config) {
            return new Builder(model, hr, output, config);
        }
    }

    /** Builds {@link Options}; see {@link Options#builder}. */
    public static final class Builder {
        private final String model;
        private final List<Path> hr;
        private final Path output;
        private final Function<UNetConfig, NoGanConfig> config;
        private Path lr;
        private List<Path> valHr = List.of();
        private Path valLr;
        private double valFraction = Options.DEFAULT_VAL_FRACTION;
        private int valMax = Options.DEFAULT_VAL_MAX;
        private Drift.Mode drift = Drift.Mode.CORRECT;
        private String preset;
        private Path work;
        private boolean resume;
        private double alpha;
        private Device device = Device.AUTO;
        private boolean overwrite;
        private String license = "";
        private String description = "";
        private String dataNote = "";
        private String command = "";

        private Builder(String model, List<Path> hr, Path output, Function<UNetConfig, NoGanConfig> config) {
            this.model = model;
            this.hr = hr;
            this.output = output;
            this.config = config;
        }

        /** Real LR partners of the HR images ({@code null}: crappified from the HR images). */
        public Builder optLr(Path value) { lr = value; return this; }

        /** Validation HR images and their real LR partners ({@code null}: crappified); empty: held out from {@code hr}. */
        public Builder optValidation(List<Path> hrImages, Path lrImages) { valHr = hrImages; valLr = lrImages; return this; }

        /** Held-out fraction and the largest validation crop side in LR pixels. */
        public Builder optValidationSplit(double fraction, int maxLr) { valFraction = fraction; valMax = maxLr; return this; }

        public Builder optDrift(Drift.Mode value) { drift = value; return this; }

        /** Crappifier preset name or file for HR-only data; {@code null} = the base model's. */
        public Builder optPreset(String value) { preset = value; return this; }

        /** Checkpoints and logs; {@code null} = {@code <output>.work}. */
        public Builder optWork(Path value) { work = value; return this; }

        public Builder optResume(boolean value) { resume = value; return this; }

        /** Export interpolation: 1 = pre-GAN generator, 0 = best GAN generator. */
        public Builder optAlpha(double value) { alpha = value; return this; }

        public Builder optDevice(Device value) { device = value; return this; }

        public Builder optOverwrite(boolean value) { overwrite = value; return this; }

        /** Licence, description and data note for the bundle ({@code ""}: the base model's, a default, none). */
        public Builder optCard(String licence, String descriptionText, String dataNoteText) {
            license = licence;
            description = descriptionText;
            dataNote = dataNoteText;
            return this;
        }

        /** The command line recorded in the bundle. */
        public Builder optCommand(String value) { command = value; return this; }

        public Options build() {
            return new Options(model, hr, lr, valHr, valLr, valFraction, valMax, drift, preset, output, work, resume, alpha,
                    device, overwrite, license, description, dataNote, command, config);
        }
    }

    /** A finished or stopped run; {@code bundle} and {@code exported} are {@code null} when it stopped early. */
    public record Result(NoGanTrainer.Outcome outcome, Path bundle, NoGanExport.Exported exported, Path workDir) {
        public boolean completed() {
            return outcome.completed();
        }
    }

    private final ModelStore store;
    private final Options opt;

    private boolean bf16;

    public FineTuneJob(ModelStore store, Options opt) {
        this.store = store;
        this.opt = opt;
    }

    /** Trains in mixed precision on the CPU ({@link NoGanTrainer#optBf16}); {@link TrainRuns#bf16} says when to. */
    public FineTuneJob optBf16(boolean on) {
        this.bf16 = on;
        return this;
    }

    public Path workDir() {
        return opt.work() != null ? opt.work() : TrainRuns.defaultWorkDir(opt.output().toAbsolutePath());
    }

    public Result run(List<TrainingListener> listeners)
            throws IOException, TrainingException, BundleException, RuntimeUnavailableException {
        if (!(opt.alpha() >= 0 && opt.alpha() <= 1)) {
            throw new TrainingException("alpha must be between 0 (GAN generator) and 1 (pre-GAN generator), not " + opt.alpha());
        }
        Path output = opt.output().toAbsolutePath().normalize();
        try {
            // The folder name becomes the model's name: check it before hours of training, not at export.
            BundleSpec.requireValidName(output.getFileName().toString());
        } catch (IllegalArgumentException e) {
            throw new TrainingException("the output folder's name is the model name, whose " + e.getMessage());
        }
        TensorFlowNatives.prepare(opt.device());
        ModelBundle bundle = store.resolve(opt.model());
        checkNotBase(output, bundle);
        String license = opt.license() == null || opt.license().isBlank() ? bundle.spec().license() : opt.license();
        try {
            Licenses.requireSpdx(license); // before training, not at export
        } catch (IllegalArgumentException e) {
            throw new TrainingException("the new model's " + e.getMessage()
                    + (license.equals(opt.license()) ? "" : " (it is the base model's; give your model's licence)"));
        }
        TrainRuns.checkOutputs(output, workDir(), opt.resume(), opt.overwrite());
        BaseModel base = BaseModel.of(bundle);
        say(listeners, "Base model " + base.name() + ": x" + base.config().scale() + ", " + base.config().inputChannels()
                + " input frame(s), " + base.weights().count() + " parameters");
        UNetConfig net = base.config();
        NoGanConfig cfg = opt.config().apply(net);
        CrappifierParams crappifier = crappifier(base);
        FineTuneData.Loaded data = FineTuneData.load(new FineTuneData.Options(opt.hr(), opt.lr(), opt.valHr(), opt.valLr(),
                opt.valFraction(), opt.valMax(), opt.drift(), crappifier, cfg.seed()), net, cfg.patchLr(),
                m -> say(listeners, m));
        Crappifier c = crappifier == null ? null : new Crappifier(crappifier);
        PatchSampler sampler;
        try {
            sampler = new PatchSampler(data.train(), data.paired() ? null : TrainJob.degrader(c), net.scale(), cfg.patchLr(),
                    net.inputChannels());
        } catch (IllegalArgumentException e) {
            throw new TrainingException(e.getMessage());
        }
        Path work = workDir();
        NoGanTrainer trainer = new NoGanTrainer(cfg,
                new NoGanTrainer.Data(data.train(), data.validation(), sampler::sample, data.paired() ? null : c), work)
                .optAllowGpu(opt.device() != Device.CPU).optBf16(bf16);
        NoGanTrainer.Outcome outcome = trainer.run(base.weights(), opt.resume(), listeners);
        if (!outcome.completed()) {
            return new Result(outcome, null, null, work);
        }
        NoGanExport.Exported exported = NoGanExport.write(new NoGanExport.Request(base, data, cfg, outcome, crappifier,
                opt.alpha(), opt.command(), opt.license(), opt.description(), opt.dataNote(), opt.device(), work), output,
                opt.overwrite(), listeners);
        say(listeners, "Model bundle written to " + exported.bundle());
        return new Result(outcome, exported.bundle(), exported, work);
    }

    private CrappifierParams crappifier(BaseModel base) throws IOException, TrainingException {
        if (opt.preset() != null && !opt.preset().isBlank()) {
            try {
                return Presets.resolve(opt.preset().strip(), base.config().scale());
            } catch (IllegalArgumentException e) {
                throw new TrainingException(e.getMessage());
            }
        }
        return base.crappifier();
    }

    /** The output must not be the base model's folder, nor inside it. */
    private static void checkNotBase(Path output, ModelBundle bundle) throws TrainingException {
        for (Path p : List.of(bundle.source(), bundle.directory())) {
            Path b = p.toAbsolutePath().normalize();
            if (output.equals(b) || output.startsWith(b) && Files.isDirectory(b)) {
                throw new TrainingException("output " + output + " would overwrite the base model " + bundle.spec().name()
                        + "; write the fine-tuned model to another folder");
            }
        }
    }

    private static void say(List<TrainingListener> listeners, String m) {
        listeners.forEach(l -> l.onMessage(m));
    }
}
