package io.github.decrappify.fiji;

import ij.IJ;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import io.github.decrappify.train.PairMatcher;
import io.github.decrappify.train.TrainConfig;
import io.github.decrappify.train.TrainJob;
import io.github.decrappify.train.TrainRuns;
import io.github.decrappify.train.TrainingException;
import io.github.decrappify.train.TrainingListener;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › Decrappify › Decrappify Train…: trains a unet-s model on HR images (with the crappifier or real LR
 * partners) and writes a model bundle, exactly as {@code decrappify train} does; with "Self-supervised",
 * a x1 denoiser from noisy images alone (Noise2Void, as {@code train --self-supervised}). Esc stops
 * training after a checkpoint; run again with "resume" to continue.
 * <pre>
 * run("Decrappify Train...", "hr=/data/hr validation=/data/val-hr scale=4 preset=em steps=3000 patch=64 batch=8 rate=5.0E-4 bundle=/models/my-em-x4 device=auto precision=fp32 seed=42 validate=500");
 * run("Decrappify Train...", "selfsupervised images=/data/noisy scale=1 steps=1000 bundle=/models/my-n2v-x1");
 * </pre>
 */
@Plugin(type = Command.class, menuPath = "Plugins>Decrappify>Decrappify Train...", attrs = @Attr(name = "help", value = "training.md#train-a-model-from-scratch"),
        description = "Train a Decrappify restoration model and export it as a model bundle")
public final class TrainCommand extends DecrappifyCommand {

    /** CLI defaults (cli.TrainCommand) for what this dialog does not ask. */
    static final double VAL_FRACTION = 0.1;
    static final int VAL_MAX = 256;
    static final int WARMUP = 300;
    static final float SSIM_WEIGHT = 0.1f;
    static final int CHECKPOINT_EVERY = 250;

    @Parameter(label = "HR images", style = "directory", required = false,
            description = "Folder of high-resolution training images (not with self-supervised training)")
    private File hr;

    // Not persisted: a remembered tick would turn a later macro's supervised run into a self-supervised one.
    @Parameter(label = "Self-supervised (noisy images only, Noise2Void)", required = false, persist = false,
            description = "Train a x1 denoiser on the noisy images alone (HR, LR, validation images and preset are"
                    + " ignored); scale must be 1")
    private boolean selfsupervised = false;

    @Parameter(label = "Noisy images (folder or image)", required = false, persist = false,
            description = "For self-supervised training: a folder of noisy images or one image; every plane of a stack is an image")
    private File images;

    @Parameter(label = "Base x1 model to fine-tune (optional)", required = false, persist = false,
            description = "Self-supervised only: installed name, bundle folder or .zip; empty = train from scratch")
    private String basemodel = "";

    @Parameter(label = "LR images (optional)", style = "directory", required = false,
            description = "Real LR (e.g. noisy) partners, no synthetic noise added; empty = synthesise LR with the preset. "
                    + PairMatcher.RULE)
    private File lr;

    @Parameter(label = "Validation HR images (optional)", style = "directory", required = false,
            description = "Ideally another specimen; empty = hold out 10% of the HR files")
    private File validation;

    @Parameter(label = "Validation LR images (optional)", style = "directory", required = false,
            description = "Real LR partners of the validation HR images (needed with LR images and validation HR images)")
    private File validationlr;

    @Parameter(label = "Scale", min = "1", max = "8", description = "Upsampling factor; 1 = denoising")
    private int scale = 4;

    @Parameter(label = "Preset", description = "Crappifier: em, fluo, or a preset .yaml (from 'decrappify crappify --fit')")
    private String preset = Presets.EM;

    @Parameter(label = "Steps", min = "1")
    private int steps = 3000;

    @Parameter(label = "Patch size (LR pixels)", min = "8", description = "A multiple of 8")
    private int patch = 64;

    @Parameter(label = "Batch size", min = "1")
    private int batch = 8;

    @Parameter(label = "Learning rate", description = "Peak of the one-cycle schedule")
    private float rate = 5e-4f;

    @Parameter(label = "Validate every (steps)", min = "0", description = "0 = only at the end")
    private int validate = 500;

    @Parameter(label = "Seed", description = "Same seed and data, same patches and initial weights (TensorFlow's CPU gradients are not bit-reproducible, so two runs are not identical)")
    private long seed = 42;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
    private String device = "auto";

    @Parameter(label = "Precision", choices = {"fp32", "bf16"}, persist = false,
            description = "As train --precision: bf16 = mixed precision on a CPU with native bf16 (AVX512_BF16 or AMX),"
                    + " fp32 weights and loss, about 1.4x faster; macros without precision= get fp32")
    private String precision = "fp32";

    @Parameter(label = "Output bundle folder", style = "directory",
            description = "The model bundle to write; its folder name is the model name")
    private File bundle;

    @Parameter(label = "Resume", description = "Continue from the checkpoint in <bundle>.work")
    private boolean resume = false;

    @Parameter(label = "Overwrite", description = "Replace an existing bundle of that name and start over an earlier"
            + " run's checkpoint (never deletes a folder that is not a bundle)")
    private boolean overwrite = false;

    @Override
    public void run() {
        if (bundle == null) {
            fail("Give an output bundle folder");
            return;
        }
        String bad = selfsupervised ? selfSupervisedMistake() : hr == null ? "Give an HR image folder, or tick"
                + " Self-supervised and give noisy images" : images != null ? "Noisy images are for self-supervised"
                + " training: tick Self-supervised, or clear Noisy images" : null;
        if (bad != null) {
            fail(bad);
            return;
        }
        if (!selfsupervised && (preset == null || preset.isBlank())) {
            fail("No preset given; use em, fluo or a preset .yaml file");
            return;
        }
        IJ.resetEscape();
        Path out = bundle.toPath().toAbsolutePath();
        try {
            BundleSpec.requireValidName(out.getFileName().toString()); // before training, not after it
        } catch (IllegalArgumentException e) {
            fail("The output bundle folder's name becomes the model's name: " + e.getMessage());
            return;
        }
        try {
            boolean bf16 = trainBf16(precision, device);
            // Warm-up is the CLI's 300 steps, shortened for short runs so that they still anneal.
            TrainConfig cfg = new TrainConfig(UNetConfig.unetS(scale, 1), patch, batch, steps, rate,
                    Math.min(WARMUP, steps / 10), selfsupervised ? 0 : SSIM_WEIGHT, validate,
                    Math.min(CHECKPOINT_EVERY, steps), seed, 0);
            TrainJob.Options opt = selfsupervised
                    ? TrainRuns.selfSupervised(List.of(images.toPath()), basemodel == null || basemodel.isBlank() ? null
                            : FijiModels.store().resolve(basemodel.strip()), TrainRuns.MASK_FRACTION, VAL_MAX, cfg, out,
                            null, resume, overwrite, device(device))
                    : TrainRuns.options(List.of(hr.toPath()), lr == null ? null : lr.toPath(),
                            validation == null ? List.of() : List.of(validation.toPath()),
                            validationlr == null ? null : validationlr.toPath(), VAL_FRACTION, VAL_MAX, preset.strip(),
                            cfg, out, null, resume, overwrite, device(device));
            TrainingMonitor monitor = new TrainingMonitor(status, log, this::stopRequested);
            if (selfsupervised) {
                monitor.curves().setLossLabel("masked L1 (blind-spot pixels only)");
            }
            List<TrainingListener> listeners = List.of(monitor);
            TrainJob.Outcome outcome = new TrainJob(opt).optBf16(bf16).run(listeners);
            if (!outcome.training().completed()) {
                stopped("training stopped at step " + outcome.training().step() + "; run Train... again with resume to continue");
                return;
            }
            Path written = TrainRuns.export(opt, outcome, out, selfsupervised ? "fluo" : TrainRuns.modality(preset.strip(), null), "", "", "",
                    commandLine(), listeners);
            log.info("Decrappify: model bundle written to " + written);
            status.showStatus("Decrappify: model bundle written to " + written);
        } catch (TrainingException | BundleException | RuntimeUnavailableException | IllegalArgumentException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail("Training failed: " + e.getMessage());
        }
    }

    /**
     * The self-supervised form's rules, as the CLI's: noisy images, scale 1. Unlike the CLI it ignores
     * HR/LR/validation folders rather than refusing them: the dialog remembers them from earlier runs.
     */
    private String selfSupervisedMistake() {
        if (images == null) {
            return "Self-supervised training needs noisy images: give a folder or an image";
        }
        if (scale != 1) {
            return "Self-supervised training makes denoisers: set Scale to 1 (it is " + scale + ")";
        }
        return null;
    }

    /** What the model card records as the command that produced the model. */
    private String commandLine() {
        if (selfsupervised) {
            return String.format(Locale.ROOT, "Fiji Plugins>Decrappify>Train... selfsupervised images=%s basemodel=%s scale=1"
                    + " steps=%d patch=%d batch=%d rate=%s seed=%d bundle=%s", images, basemodel, steps, patch, batch, rate,
                    seed, bundle);
        }
        return String.format(Locale.ROOT,
                "Fiji Plugins>Decrappify>Train... hr=%s lr=%s validation=%s validationlr=%s scale=%d preset=%s steps=%d patch=%d batch=%d"
                        + " rate=%s validate=%d seed=%d bundle=%s", hr, lr, validation, validationlr, scale, preset, steps, patch, batch,
                rate, validate, seed, bundle);
    }
}
