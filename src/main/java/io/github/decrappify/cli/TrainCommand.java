package io.github.decrappify.cli;

import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.image.Normalisation;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.crappify.Range;
import io.github.decrappify.train.DataRecipe;
import io.github.decrappify.train.PairMatcher;
import io.github.decrappify.train.PixelLoss;
import io.github.decrappify.train.TrainConfig;
import io.github.decrappify.train.CentreWeight;
import io.github.decrappify.train.TrainJob;
import io.github.decrappify.train.TrainRuns;
import io.github.decrappify.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code decrappify train}: trains a generator on HR images (+ crappifier or real LR) and exports a bundle. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Train a restoration model (unet-s generator, L1 + SSIM loss, Adam one-cycle) and export it as a"
                + " model bundle.", "--self-supervised --images DIR|FILE --scale 1: a denoiser from noisy images alone (Noise2Void"
                + " blind-spot training; -m BASE fine-tunes a x1 model).",
                "A run killed at any time continues from its last checkpoint with --resume."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "BUNDLE", description = "Bundle folder to write.")
    Path output;

    @Option(names = "--hr", split = ",", paramLabel = "DIR|FILE",
            description = "High-resolution training images (folders or files; repeatable).")
    List<Path> hr;

    @Option(names = "--self-supervised", description = {"Noise2Void: train a denoiser (--scale 1) on the noisy"
            + " --images alone, no clean targets; the loss is computed on a few pixels per patch hidden from the network."})
    boolean selfSupervised;

    @Option(names = "--images", split = ",", paramLabel = "DIR|FILE",
            description = "Noisy images for --self-supervised (folders or files; every plane of a stack is an image).")
    List<Path> images;

    @Option(names = {"-m", "--model"}, paramLabel = "BASE",
            description = "With --self-supervised: fine-tune this x1 model (installed name, bundle folder or .zip) instead of"
                    + " starting from scratch.")
    String baseModel;

    @Option(names = "--mask-fraction", defaultValue = "0.25", paramLabel = "F",
            description = "With --self-supervised: fraction of pixels per patch replaced by a neighbour and scored, one per"
                    + " ceil(1/sqrt(F))^2 pixels (default ${DEFAULT-VALUE}: one per 2x2).")
    double maskFraction;

    @Option(names = "--centre-weight", defaultValue = "auto", paramLabel = "auto|W",
            description = "With --self-supervised: share of the noisy pixel blended back into the blind-spot output,"
                    + " which never sees it (default ${DEFAULT-VALUE}: estimated after training from the images' noise,"
                    + " measured beyond 0.4 cycles/pixel, and the output-input difference; 0 = the plain blind-spot output;"
                    + " at most 0.5).")
    String centreWeight;

    @Option(names = "--lr", paramLabel = "DIR", description = {"Real LR (e.g. noisy) images paired with the --hr targets by"
            + " name; then no synthetic noise is added (the preset is only recorded in the bundle). Else the crappifier"
            + " makes LR from --hr.", PairMatcher.RULE})
    Path lr;

    @Option(names = "--val-hr", split = ",", paramLabel = "DIR|FILE",
            description = "Validation HR images, ideally from another specimen (default: hold out --val-fraction of the files).")
    List<Path> valHr = new ArrayList<>();

    @Option(names = "--val-lr", paramLabel = "DIR", description = "Real LR partners of --val-hr, paired as --lr (needed with --lr and --val-hr).")
    Path valLr;

    @Option(names = "--val-fraction", defaultValue = "0.1", description = "Fraction of --hr files (with --lr: of HR targets, with all their LR partners) held out when --val-hr is not given (default ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--val-max", defaultValue = "256", description = "Validation crops at most N LR pixels per side (default ${DEFAULT-VALUE}).")
    int valMax;

    @Option(names = "--scale", required = true, description = "Upsampling factor (1 = denoising).")
    int scale;

    @Option(names = "--preset", defaultValue = "em", paramLabel = "em|fluo|FILE.yaml",
            description = "Crappifier preset or a preset file from 'crappify --fit' (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--modality", paramLabel = "em|fluo", description = "Modality recorded in the bundle (default: from the preset name; fluo with --self-supervised).")
    String modality;

    @Option(names = "--frames", defaultValue = "1", description = "Adjacent planes per input (odd; >1 = multi-frame model).")
    int frames;

    @Option(names = "--patch", defaultValue = "64", description = "LR patch size in pixels (default ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--batch", defaultValue = "8", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "3000", description = "Optimiser steps (default ${DEFAULT-VALUE}; 1000 with"
            + " --self-supervised).")
    int steps;

    @Option(names = "--learning-rate", defaultValue = "5e-4", description = "Peak learning rate of the one-cycle schedule (default ${DEFAULT-VALUE}; 1e-3 with --self-supervised).")
    float learningRate;

    @Option(names = "--warmup", defaultValue = "300", description = "Warm-up steps (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--ssim-weight", defaultValue = "0.1", description = "Loss = L1 (or L2) + w·(1−SSIM) (default ${DEFAULT-VALUE}).")
    float ssimWeight;

    @Option(names = "--widths", defaultValue = "32,64,128,256", paramLabel = "W", split = ",",
            description = "Encoder channels per level, finest first, the last is the bottleneck (default ${DEFAULT-VALUE}:"
                    + " unet-s). Wider costs more time per step: 48,96,192,384 is about 2.2x the compute.")
    int[] widths;

    @Option(names = "--residual-highpass", paramLabel = "SIGMA", defaultValue = "0", description = "Take the low-pass"
            + " (Gaussian sigma in output pixels, e.g. the scale) out of the learned residual, so the output keeps the"
            + " input's coarse intensities: no haze or glow around bright objects (default ${DEFAULT-VALUE} = off).")
    double residualHighpass;

    @Option(names = "--loss", paramLabel = "l1|l2", defaultValue = "l1", description = "Pixel loss: l1 (default) or l2"
            + " (mean squared error: the conditional mean, what PSNR rewards; its values are ~10x smaller than L1's,"
            + " so lower --ssim-weight with it, e.g. 0).")
    String loss;

    @Option(names = "--norm-percentiles", defaultValue = Normalisation.DEFAULT_PERCENTILES, paramLabel = "LOW,HIGH",
            description = "Percentiles of each image mapped to 0 and 1; recorded in the bundle so restore does the same (default ${DEFAULT-VALUE}).")
    String normPercentiles;

    @Option(names = "--aug-gain", defaultValue = "0.75,1.25", paramLabel = "MIN,MAX",
            description = "Random contrast factor per patch (default ${DEFAULT-VALUE}).")
    String augGain;

    @Option(names = "--aug-offset", defaultValue = "0.1", paramLabel = "X",
            description = "Random brightness offset per patch, drawn from [-X, X] (default ${DEFAULT-VALUE}).")
    double augOffset;

    @Option(names = "--validate-every", defaultValue = "500", description = "Steps between validations (default ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--checkpoint-every", defaultValue = "250", description = "Steps between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random draw (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--work", paramLabel = "DIR", description = "Checkpoints and logs (default: BUNDLE.work).")
    Path work;

    @Option(names = "--resume", description = "Continue from the last checkpoint in the work folder.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace an existing output bundle (never a folder that is not a bundle)"
            + " and, without --resume, start over an earlier run's checkpoint.")
    boolean overwrite;

    @Option(names = "--description", defaultValue = "", description = "One-paragraph description for the model card.")
    String description;

    @Option(names = "--license", defaultValue = "", description = "SPDX licence of the model: the most restrictive of its training data's.")
    String license;

    @Option(names = "--data-note", defaultValue = "", description = "Training data and licences, for the model card.")
    String dataNote;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = all cores).")
    int threads;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
            description = "fp32 (default) or bf16: mixed precision on a CPU with native bf16 (AVX512_BF16 or AMX),"
                    + " fp32 weights and loss, about 1.4x faster; the model is exported in fp32 either way.")
    String precision;

    @Option(names = "--log-every", defaultValue = "50", description = "Steps between progress lines (default ${DEFAULT-VALUE}).")
    int logEvery;

    /** Default --steps of --self-supervised: fits 20 minutes on the 2-core CI machine for two 512² images. */
    static final int SELF_SUPERVISED_STEPS = 1000;

    /**
     * Default --learning-rate of --self-supervised: its budget is short, and 1e-3 gave +0.13 dB over 5e-4 in
     * 1000 steps on two FMD frames (docs/training.md).
     */
    static final float SELF_SUPERVISED_LEARNING_RATE = 1e-3f;

    /** Whether {@code --precision} asks for bf16 training ({@link TrainRuns#bf16}, as a bad option when refused). */
    static boolean trainBf16(String precision, Device device, boolean nativeBf16) {
        try {
            return TrainRuns.bf16(BadOptionException.precision(precision), device, nativeBf16);
        } catch (IllegalArgumentException e) {
            throw new BadOptionException("--precision " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        checkDataOptions();
        boolean bf16 = trainBf16(precision, BadOptionException.device(device), Precision.cpuHasNativeBf16());
        try {
            BundleSpec.requireValidName(output.toAbsolutePath().normalize().getFileName().toString()); // before training
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the --output folder's name becomes the model's name: " + e.getMessage(), e);
        }
        if (!license.isBlank()) {
            BadOptionException.license("--license", license); // before training, not at export
        }
        if (modality != null && !modality.isBlank() && BundleSpec.Modality.fromYaml(modality) == null) {
            throw new BadOptionException("--modality must be em or fluo, not " + modality); // it failed at export
        }
        double[] norm = pair("--norm-percentiles", normPercentiles);
        double[] gain = pair("--aug-gain", augGain);
        DataRecipe recipe = new DataRecipe(new BundleSpec.PercentileRange(norm[0], norm[1]), new Range(gain[0], gain[1]),
                augOffset);
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        boolean stepsGiven = given.hasMatchedOption("--steps");
        int budget = selfSupervised && !stepsGiven ? SELF_SUPERVISED_STEPS : steps;
        float peak = selfSupervised && !given.hasMatchedOption("--learning-rate") ? SELF_SUPERVISED_LEARNING_RATE
                : learningRate;
        // the default warm-up shrinks with a short budget; a --warmup the user gave is kept as given
        int warm = given.hasMatchedOption("--warmup") ? warmup : Math.min(warmup, budget / 10);
        TrainConfig cfg;
        try {
            cfg = new TrainConfig(BadOptionException.residualHighpass(network(), residualHighpass), patch, batch, budget, peak,
                    warm, selfSupervised ? 0 : ssimWeight, validateEvery, checkpointEvery, seed,
                    threads, recipe, pixelLoss());
        } catch (IllegalArgumentException e) {
            throw new BadOptionException(e.getMessage()); // --patch 0, --checkpoint-every 0: before any work
        }
        TrainJob.Options opt = selfSupervised
                ? TrainRuns.selfSupervised(images, baseModel == null ? null : Stores.store(null).resolve(baseModel),
                        maskFraction, centreWeight(), valMax, cfg, output, work, resume, overwrite,
                        BadOptionException.device(device))
                : TrainRuns.options(hr, lr, valHr, valLr, valFraction, valMax, preset, cfg, output, work, resume, overwrite,
                        BadOptionException.device(device));
        PrintWriter log = spec.commandLine().getErr(); // progress and confirmations: train prints no result on stdout
        List<TrainingListener> listeners = List.of(new ProgressPrinter(log, logEvery));
        TrainJob.Outcome outcome = new TrainJob(opt).optBf16(bf16).run(listeners);
        if (!outcome.training().completed()) {
            log.println("stopped at step " + outcome.training().step() + "; continue with --resume");
            return 1;
        }
        String kind = selfSupervised ? (modality == null || modality.isBlank() ? "fluo" : modality)
                : TrainRuns.modality(preset, modality);
        Path bundle = TrainRuns.export(opt, outcome, output, kind, description, license,
                dataNote, Main.commandLine(spec),
                listeners);
        log.println("model bundle written to " + bundle);
        return 0;
    }

    /** unet-s, or the same network with the --widths given (4 levels keep the attention window and size multiple). */
    private UNetConfig network() {
        UNetConfig s = UNetConfig.unetS(scale, frames);
        if (Arrays.equals(widths, s.widths())) {
            return s;
        }
        for (int w : widths) {
            if (w < 1 || w > 1024) {
                throw new BadOptionException("--widths must be 1..1024 channels per level, got " + Arrays.toString(widths));
            }
        }
        if (widths.length != s.levels()) {
            throw new BadOptionException("--widths needs " + s.levels() + " levels (as unet-s), got " + widths.length);
        }
        return s.withWidths(widths);
    }

    /**
     * Which data options go together: supervised training takes {@code --hr} (and maybe {@code --lr});
     * self-supervised training takes {@code --images} alone, at scale 1. A wrong mix is a bad command
     * line (exit 2), caught before anything is read.
     */
    void checkDataOptions() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (!selfSupervised) {
            if (images != null) {
                throw usage("--images holds noisy images for --self-supervised training; add --self-supervised, or give"
                        + " clean targets with --hr");
            }
            if (baseModel != null) {
                throw usage("-m BASE is for --self-supervised fine-tuning; to fine-tune on HR images use 'decrappify finetune'");
            }
            for (String o : List.of("--mask-fraction", "--centre-weight")) {
                if (parsed.hasMatchedOption(o)) {
                    throw usage(o + " is for --self-supervised training");
                }
            }
            if (hr == null) {
                throw usage("give training images: --hr DIR|FILE (clean targets), or --self-supervised --images DIR|FILE"
                        + " (noisy images alone)");
            }
            return;
        }
        if (images == null) {
            throw usage("--self-supervised trains on noisy images: give them with --images DIR|FILE");
        }
        List<String> refused = new ArrayList<>();
        for (String o : List.of("--hr", "--lr", "--val-hr", "--val-lr", "--val-fraction", "--preset", "--frames",
                "--ssim-weight", "--loss", "--residual-highpass")) {
            if (parsed.hasMatchedOption(o)) {
                refused.add(o);
            }
        }
        if (!refused.isEmpty()) {
            throw usage("--self-supervised trains on --images alone (no clean targets, no synthetic noise, one plane at a"
                    + " time, L1 on the masked pixels): drop " + String.join(", ", refused));
        }
        if (scale != 1) {
            throw usage("--self-supervised trains denoisers: use --scale 1 (got --scale " + scale + ")");
        }
        if (!(maskFraction > 0 && maskFraction <= 0.25)) {
            throw usage("--mask-fraction must be in (0, 0.25] (default 0.25; N2V's paper used 0.002 to 0.02), got " + maskFraction);
        }
        centreWeight();
    }

    /** --centre-weight as a number, {@link TrainJob.SelfSupervision#AUTO} for auto. */
    double centreWeight() {
        if (centreWeight.equalsIgnoreCase("auto")) {
            return TrainJob.SelfSupervision.AUTO;
        }
        try {
            double w = Double.parseDouble(centreWeight);
            if (w >= 0 && w <= CentreWeight.MAX) {
                return w;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw usage("--centre-weight must be auto or a number from 0 to " + CentreWeight.MAX + ", not " + centreWeight);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** {@code "a,b"} as two numbers, or an error naming the option. */
    private static double[] pair(String option, String text) {
        String[] f = text.split(",");
        try {
            if (f.length == 2) {
                return new double[] {Double.parseDouble(f[0].trim()), Double.parseDouble(f[1].trim())};
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new BadOptionException(option + " takes two numbers separated by a comma, got '" + text + "'");
    }

    private PixelLoss pixelLoss() {
        try {
            return PixelLoss.parse(loss);
        } catch (IllegalArgumentException e) {
            throw new BadOptionException("--" + e.getMessage());
        }
    }
}
