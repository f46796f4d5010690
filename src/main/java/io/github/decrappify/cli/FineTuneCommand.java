package io.github.decrappify.cli;

import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.train.nogan.Drift;
import io.github.decrappify.train.nogan.FeatureNet;
import io.github.decrappify.train.nogan.FineTuneJob;
import io.github.decrappify.train.nogan.NoGanConfig;
import io.github.decrappify.train.nogan.NoGanConfig.Defaults;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code decrappify finetune}: NoGAN fine-tuning of a model on a lab's own images, exported as a new bundle. */
@Command(name = "finetune", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Fine-tune a model on your own HR/LR pairs (or HR images with the model's crappifier) with the"
                + " NoGAN recipe: generator pretraining (pixel + feature loss), critic pretraining on saved generated"
                + " images, short GAN phases stopped at the inflection point of validation metrics, repeated while"
                + " validation improves. Writes a new bundle; the base model is never changed.",
                "Progress: one line per --log-every steps, BUNDLE.work/log.csv (every step) and summary.json. A run killed"
                        + " at any time continues from its last checkpoint with --resume; --resume on a finished run only"
                        + " re-exports (e.g. with another --alpha and --overwrite)."})
public final class FineTuneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--residual-highpass", paramLabel = "SIGMA", description = "Take the low-pass (Gaussian sigma in"
            + " output pixels, e.g. the scale) out of the learned residual, so the output keeps the input's coarse"
            + " intensities: no haze or glow around bright objects; 0 = off (default: as the base model).")
    Double residualHighpass;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "Base model: installed name, bundle folder or .zip.")
    String model;

    @Option(names = "--hr", required = true, split = ",", paramLabel = "DIR|FILE", description = "High-resolution images (folders or files).")
    List<Path> hr;

    @Option(names = "--lr", paramLabel = "DIR", description = "Real LR images matched to --hr by file name (else the crappifier makes LR).")
    Path lr;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "BUNDLE", description = "Bundle folder to write (its name is the model name).")
    Path output;

    @Option(names = "--val-hr", split = ",", paramLabel = "DIR|FILE", description = "Validation HR images (default: hold out --val-fraction of the files, or a strip of each field when there are fewer than 4).")
    List<Path> valHr = new ArrayList<>();

    @Option(names = "--val-lr", paramLabel = "DIR", description = "Real LR partners of --val-hr.")
    Path valLr;

    @Option(names = "--val-fraction", defaultValue = "" + FineTuneJob.Options.DEFAULT_VAL_FRACTION, description = "Fraction held out for validation (default ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--val-max", defaultValue = "" + FineTuneJob.Options.DEFAULT_VAL_MAX, description = "Validation crops at most N LR px per side (default ${DEFAULT-VALUE}).")
    int valMax;

    @Option(names = "--drift", defaultValue = "correct", paramLabel = "correct|report|off", description = "HR/LR drift of real pairs: measure (forward-model fit) and crop it away, only report it, or ignore (default ${DEFAULT-VALUE}).")
    String drift;

    @Option(names = "--preset", paramLabel = "NAME|FILE", description = "Crappifier for HR-only data (default: the base model's).")
    String preset;

    @Option(names = "--quick", description = "Every phase with a minimal budget (20 encoder, 30 pretraining, 20 critic, 24 GAN steps, one cycle): try the pipeline on your data in minutes.")
    boolean quick;

    @Option(names = "--alpha", defaultValue = "0", description = "Export alpha*pre-GAN + (1-alpha)*GAN generator: 1 = fidelity, 0 = sharpness (default ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--patch", defaultValue = "" + Defaults.PATCH, description = "LR patch size (default ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--batch", defaultValue = "" + Defaults.BATCH, description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--feature-net", defaultValue = "critic", paramLabel = "critic|encoder|none", description = "Feature loss from the pretrained critic, an encoder trained on the HR data, or none (default ${DEFAULT-VALUE}).")
    String featureNet;

    @Option(names = "--feature-layers", split = ",", paramLabel = "W", description = "Weight of each feature level, finest first (default 1 per critic level).")
    List<Float> featureLayers;

    @Option(names = "--feature-weight", defaultValue = "" + Defaults.FEATURE_WEIGHT, description = "Feature loss weight (default ${DEFAULT-VALUE}).")
    float featureWeight;

    @Option(names = "--pixel-weight", defaultValue = "" + Defaults.PIXEL_WEIGHT, description = "Pixel loss weight (default ${DEFAULT-VALUE}).")
    float pixelWeight;

    @Option(names = "--ssim-weight", defaultValue = "" + Defaults.SSIM_WEIGHT, description = "Pixel loss = L1 + w*(1-SSIM) (default ${DEFAULT-VALUE}).")
    float ssimWeight;

    @Option(names = "--adversarial-weight", defaultValue = "" + Defaults.ADVERSARIAL_WEIGHT, description = "Adversarial loss weight in the GAN phase (default ${DEFAULT-VALUE}).")
    float adversarialWeight;

    @Option(names = "--encoder-steps", defaultValue = "" + Defaults.ENCODER_STEPS, description = "Feature encoder training steps (--feature-net encoder; default ${DEFAULT-VALUE}).")
    int encoderSteps;

    @Option(names = "--pretrain-steps", defaultValue = "" + Defaults.PRETRAIN_STEPS, description = "Generator pretraining steps; 0 skips it (default ${DEFAULT-VALUE}).")
    int pretrainSteps;

    @Option(names = "--pretrain-lr", defaultValue = "" + Defaults.PRETRAIN_LR, description = "Peak pretraining learning rate (default ${DEFAULT-VALUE}).")
    float pretrainLr;

    @Option(names = "--warmup", defaultValue = "-1", description = "Pretraining warm-up steps (default a tenth of the steps).")
    int warmup;

    @Option(names = "--validate-every", defaultValue = "" + Defaults.PRETRAIN_VALIDATE_EVERY, description = "Pretraining steps between validations (default ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--critic-steps", defaultValue = "" + Defaults.CRITIC_STEPS, description = "Critic pretraining budget per cycle (default ${DEFAULT-VALUE}).")
    int criticSteps;

    @Option(names = "--critic-lr", defaultValue = "" + Defaults.CRITIC_LR, description = "Critic pretraining learning rate (default ${DEFAULT-VALUE}).")
    float criticLr;

    @Option(names = "--critic-accuracy", defaultValue = "" + Defaults.CRITIC_ACCURACY, description = "Critic pretraining stops at this accuracy (default ${DEFAULT-VALUE}).")
    double criticAccuracy;

    @Option(names = "--critic-width", defaultValue = "" + Defaults.CRITIC_WIDTH, description = "Critic base width (default ${DEFAULT-VALUE}).")
    int criticWidth;

    @Option(names = "--critic-levels", defaultValue = "" + Defaults.CRITIC_LEVELS, description = "Critic stride-2 levels (default ${DEFAULT-VALUE}).")
    int criticLevels;

    @Option(names = "--no-spectral-norm", description = "Critic without spectral normalisation.")
    boolean noSpectralNorm;

    @Option(names = "--no-critic-attention", description = "Critic without self-attention.")
    boolean noCriticAttention;

    @Option(names = "--gan-steps", defaultValue = "" + Defaults.GAN_STEPS, description = "GAN phase budget in batches, critic and generator steps together (default ${DEFAULT-VALUE}).")
    int ganSteps;

    @Option(names = "--gan-lr", defaultValue = "" + Defaults.GAN_LR, description = "Generator learning rate in the GAN phase (default ${DEFAULT-VALUE}).")
    float ganLr;

    @Option(names = "--critic-lr-factor", defaultValue = "" + Defaults.CRITIC_LR_FACTOR, description = "Critic learning rate = factor x --gan-lr in the GAN phase (default ${DEFAULT-VALUE}).")
    float criticLrFactor;

    @Option(names = "--critic-threshold", defaultValue = "" + Defaults.CRITIC_THRESHOLD, description = "The critic trains until its loss is below this before each generator step (default ${DEFAULT-VALUE}; chance = 0.693).")
    float criticThreshold;

    @Option(names = "--gan-validate-every", defaultValue = "" + Defaults.GAN_VALIDATE_EVERY, description = "Generator steps between GAN validations (default ${DEFAULT-VALUE}).")
    int ganValidateEvery;

    @Option(names = "--patience", defaultValue = "" + Defaults.PATIENCE, description = "Stop a GAN phase after N validations without a sharper generator (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--max-psnr-drop", defaultValue = "" + Defaults.MAX_PSNR_DROP, description = "Stop a GAN phase when validation PSNR falls more than this below the pre-GAN generator (dB; default ${DEFAULT-VALUE}).")
    double maxPsnrDrop;

    @Option(names = "--cycles", defaultValue = "" + Defaults.CYCLES, description = "Critic pretraining + GAN cycles, repeated while validation improves (default ${DEFAULT-VALUE}).")
    int cycles;

    @Option(names = "--ragan", description = "Relativistic average critic and adversarial loss (ESRGAN).")
    boolean ragan;

    @Option(names = "--self-supervised", description = "FastGAN-style critic decoder reconstructing its input (helps with few images).")
    boolean selfSupervised;

    @Option(names = "--reconstruction-weight", defaultValue = "" + Defaults.RECONSTRUCTION_WEIGHT, description = "Weight of the critic's reconstruction loss (default ${DEFAULT-VALUE}).")
    float reconstructionWeight;

    @Option(names = "--generate-images", defaultValue = "" + Defaults.GENERATE_IMAGES, description = "Generated crops saved per cycle for the critic (default ${DEFAULT-VALUE}).")
    int generateImages;

    @Option(names = "--checkpoint-every", defaultValue = "" + Defaults.CHECKPOINT_EVERY, description = "Steps between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--seed", defaultValue = "" + Defaults.SEED, description = "Seed of every random draw (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--work", paramLabel = "DIR", description = "Checkpoints, generated images and logs (default: BUNDLE.work).")
    Path work;

    @Option(names = "--resume", description = "Continue from the last checkpoint in the work folder.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace an existing output bundle.")
    boolean overwrite;

    @Option(names = "--license", defaultValue = "", description = "SPDX licence of the new model (default: the base model's); the most restrictive of your data's.")
    String license;

    @Option(names = "--description", defaultValue = "", description = "Description for the model card.")
    String description;

    @Option(names = "--data-note", defaultValue = "", description = "Training data and licences, for the model card.")
    String dataNote;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "User model store (default $DECRAPPIFY_MODELS or ~/.decrappify/models).")
    Path modelsDir;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
            description = "fp32 (default) or bf16: mixed precision on a CPU with native bf16 (AVX512_BF16 or AMX),"
                    + " as train --precision; the bundle is exported in fp32 either way.")
    String precision;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = all cores).")
    int threads;

    @Option(names = "--log-every", defaultValue = "10", description = "Steps between progress lines (default ${DEFAULT-VALUE}).")
    int logEvery;

    /** The command as typed, shell-quoted, for the bundle's provenance (original arguments include "finetune"). */
    private String commandLine() {
        StringBuilder b = new StringBuilder("bin/decrappify");
        for (String a : spec.commandLine().getParseResult().originalArgs()) {
            b.append(' ').append(!a.isEmpty() && a.matches("[A-Za-z0-9_./:=,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    @Override
    public Integer call() throws Exception {
        boolean bf16 = TrainCommand.trainBf16(precision, BadOptionException.device(device), Precision.cpuHasNativeBf16());
        Drift.Mode mode = switch (drift.toLowerCase(Locale.ROOT)) {
            case "correct" -> Drift.Mode.CORRECT;
            case "report" -> Drift.Mode.REPORT;
            case "off" -> Drift.Mode.OFF;
            default -> throw new BadOptionException("--drift must be correct, report or off, not " + drift);
        };
        FeatureNet features;
        try {
            features = FeatureNet.parse(featureNet);
        } catch (IllegalArgumentException e) {
            throw new BadOptionException("--feature-net: " + e.getMessage());
        }
        if (!license.isBlank()) {
            BadOptionException.license("--license", license); // the base model's own licence is checked by the job
        }
        float[] layers = null;
        if (featureLayers != null) {
            layers = new float[featureLayers.size()];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = featureLayers.get(i);
            }
        }
        float[] layerWeights = layers;
        java.util.function.Function<UNetConfig, NoGanConfig> config = net -> {
            NoGanConfig.Builder b = NoGanConfig.builder(residualHighpass == null ? net : BadOptionException.residualHighpass(net, residualHighpass))
                    .optCritic(criticWidth, criticLevels, !noSpectralNorm, !noCriticAttention)
                    .optFeatures(features, layerWeights).optPatch(patch, batch)
                    .optLossWeights(pixelWeight, ssimWeight, featureWeight, adversarialWeight)
                    .optEncoder(encoderSteps, Defaults.ENCODER_LR).optPretrain(pretrainSteps, pretrainLr).optWarmup(warmup)
                    .optPretrainValidateEvery(validateEvery).optCriticPretrain(criticSteps, criticLr, criticAccuracy)
                    .optGan(ganSteps, ganLr, criticLrFactor, criticThreshold)
                    .optInflection(ganValidateEvery, patience, maxPsnrDrop).optCycles(cycles).optRelativistic(ragan)
                    .optSelfSupervised(selfSupervised, reconstructionWeight).optGenerateImages(generateImages)
                    .optCheckpointEvery(checkpointEvery).optSeed(seed).optThreads(threads);
            return (quick ? b.quick() : b).build();
        };
        String command = commandLine();
        FineTuneJob.Options opt = FineTuneJob.Options.builder(model, hr, output, config).optLr(lr)
                .optValidation(valHr, valLr).optValidationSplit(valFraction, valMax).optDrift(mode).optPreset(preset)
                .optWork(work).optResume(resume).optAlpha(alpha).optDevice(BadOptionException.device(device))
                .optOverwrite(overwrite).optCard(license, description, dataNote).optCommand(command).build();
        FineTuneJob job = new FineTuneJob(Stores.store(modelsDir), opt).optBf16(bf16);
        PrintWriter log = spec.commandLine().getErr(); // progress: finetune prints no result on stdout
        FineTuneJob.Result r = job.run(List.of(new NoGanProgress(log, logEvery)));
        if (!r.completed()) {
            log.println("stopped; continue with --resume (work folder " + r.workDir() + ")");
            return 1;
        }
        return 0;
    }
}
