package io.github.decrappify.fiji;

import ij.IJ;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import io.github.decrappify.train.TrainingException;
import io.github.decrappify.train.nogan.FeatureNet;
import io.github.decrappify.train.nogan.FineTuneJob;
import io.github.decrappify.train.nogan.NoGanConfig;
import io.github.decrappify.train.nogan.NoGanConfig.Defaults;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › Decrappify › Decrappify Fine-tune (NoGAN)…: fine-tunes a model on a folder of HR images (with real LR
 * partners, or LR from the model's crappifier) with the NoGAN recipe and writes a new bundle, exactly as
 * {@code decrappify finetune} does. Esc stops after writing a checkpoint; run again with "resume".
 * <pre>
 * run("Decrappify Fine-tune (NoGAN)...", "model=em-x4-unet-s hr=/data/hr lr=/data/lr bundle=/models/my-em quick pretrain=800 critic=300 gan=300 cycles=2 patch=64 batch=8 features=critic threshold=0.65 adversarial=0.02 alpha=0.0 device=auto precision=fp32 seed=42");
 * </pre>
 */
@Plugin(type = Command.class, menuPath = "Plugins>Decrappify>Decrappify Fine-tune (NoGAN)...", attrs = @Attr(name = "help", value = "training.md#fine-tune-a-model-on-your-own-images-nogan"),
        description = "Fine-tune a Decrappify model on your own images with the NoGAN recipe")
public final class FineTuneCommand extends DecrappifyCommand {

    @Parameter(label = "Base model", style = "decrappify-model", description = FijiModels.MODEL_DESCRIPTION)
    private String model = FijiModels.DEFAULT_MODEL;

    @Parameter(label = "HR images", style = "directory", description = "Folder of high-resolution images")
    private File hr;

    @Parameter(label = "LR images (optional)", style = "directory", required = false,
            description = "Real LR partners matched by file name; empty = LR from the model's crappifier")
    private File lr;

    @Parameter(label = "Validation HR images (optional)", style = "directory", required = false,
            description = "Empty = hold out 10% of the files (or a strip of each field with fewer than 4 files)")
    private File validation;

    @Parameter(label = "Output bundle folder", style = "directory",
            description = "The new model bundle; its folder name is the model name")
    private File bundle;

    @Parameter(label = "Quick trial (minimal budgets)", description = "Every phase for a few steps: minutes, to try the data")
    private boolean quick = false;

    @Parameter(label = "Generator pretraining steps", min = "0")
    private int pretrain = Defaults.PRETRAIN_STEPS;

    @Parameter(label = "Critic pretraining steps (budget)", min = "1")
    private int critic = Defaults.CRITIC_STEPS;

    @Parameter(label = "GAN batches per cycle (budget)", min = "1")
    private int gan = Defaults.GAN_STEPS;

    @Parameter(label = "Cycles", min = "1")
    private int cycles = Defaults.CYCLES;

    @Parameter(label = "Patch size (LR pixels)", min = "8", description = "A multiple of 8; HR patches are this times the scale")
    private int patch = Defaults.PATCH;

    @Parameter(label = "Batch size", min = "2")
    private int batch = Defaults.BATCH;

    @Parameter(label = "Feature loss network", choices = {"critic", "encoder", "none"})
    private String features = "critic";

    @Parameter(label = "Critic loss threshold", description = "The critic trains until its loss is below this before each generator step")
    private float threshold = Defaults.CRITIC_THRESHOLD;

    @Parameter(label = "Adversarial weight")
    private float adversarial = Defaults.ADVERSARIAL_WEIGHT;

    @Parameter(label = "Relativistic critic (RaGAN)")
    private boolean ragan = false;

    @Parameter(label = "Self-supervised critic (FastGAN decoder)")
    private boolean selfsupervised = false;

    @Parameter(label = "Export alpha (1 = fidelity, 0 = sharpness)", min = "0", max = "1")
    private double alpha = 0;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
    private String device = "auto";

    @Parameter(label = "Precision", choices = {"fp32", "bf16"}, persist = false,
            description = "As finetune --precision: bf16 = mixed precision on a CPU with native bf16 (AVX512_BF16 or AMX),"
                    + " fp32 weights and losses; macros without precision= get fp32")
    private String precision = "fp32";

    @Parameter(label = "Seed")
    private long seed = Defaults.SEED;

    @Parameter(label = "Resume", description = "Continue from the checkpoint in <bundle>.work")
    private boolean resume = false;

    @Parameter(label = "Overwrite an existing bundle")
    private boolean overwrite = false;

    @Override
    public void run() {
        if (hr == null || bundle == null || model == null || model.isBlank()) {
            fail("Give a base model, an HR image folder and an output bundle folder");
            return;
        }
        IJ.resetEscape();
        try {
            boolean bf16 = trainBf16(precision, device);
            FeatureNet featureNet = FeatureNet.parse(features);
            FineTuneJob.Options opt = FineTuneJob.Options.builder(model.strip(), List.of(hr.toPath()), bundle.toPath(), net -> {
                        NoGanConfig.Builder b = NoGanConfig.builder(net).optFeatures(featureNet, null).optPatch(patch, batch)
                                .optPretrain(pretrain, Defaults.PRETRAIN_LR)
                                .optCriticPretrain(critic, Defaults.CRITIC_LR, Defaults.CRITIC_ACCURACY)
                                .optGan(gan, Defaults.GAN_LR, Defaults.CRITIC_LR_FACTOR, threshold).optCycles(cycles)
                                .optLossWeights(Defaults.PIXEL_WEIGHT, Defaults.SSIM_WEIGHT, Defaults.FEATURE_WEIGHT, adversarial)
                                .optRelativistic(ragan).optSelfSupervised(selfsupervised, Defaults.RECONSTRUCTION_WEIGHT)
                                .optSeed(seed);
                        return (quick ? b.quick() : b).build();
                    })
                    .optLr(lr == null ? null : lr.toPath())
                    .optValidation(validation == null ? List.of() : List.of(validation.toPath()), null)
                    .optResume(resume).optAlpha(alpha).optDevice(device(device)).optOverwrite(overwrite)
                    .optCommand(commandLine()).build();
            NoGanMonitor monitor = new NoGanMonitor(status, log, this::stopRequested);
            FineTuneJob.Result r = new FineTuneJob(FijiModels.store(), opt).optBf16(bf16).run(List.of(monitor));
            if (!r.completed()) {
                stopped("fine-tuning stopped; run Fine-tune (NoGAN)... again with resume to continue (" + r.workDir() + ")");
                return;
            }
            log.info("Decrappify: fine-tuned model bundle written to " + r.bundle());
            status.showStatus("Decrappify: fine-tuned model bundle written to " + r.bundle());
        } catch (TrainingException | BundleException | RuntimeUnavailableException | IllegalArgumentException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail("Fine-tuning failed: " + e.getMessage());
        }
    }

    /** What the model card records as the command that produced the model. */
    private String commandLine() {
        return String.format(Locale.ROOT, "Fiji Plugins>Decrappify>Fine-tune (NoGAN)... model=%s hr=%s lr=%s validation=%s"
                + " bundle=%s quick=%s pretrain=%d critic=%d gan=%d cycles=%d patch=%d batch=%d features=%s threshold=%s"
                + " adversarial=%s ragan=%s selfsupervised=%s alpha=%s seed=%d", model, hr, lr, validation, bundle, quick,
                pretrain, critic, gan, cycles, patch, batch, features, threshold, adversarial, ragan, selfsupervised, alpha,
                seed);
    }
}
