package io.github.decrappify.train;

import io.github.decrappify.crappify.Presets;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.RdfYaml;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * From a user's training choices to {@link TrainJob.Options}, and from a finished run to a bundle: the
 * rules {@code decrappify train} and the Fiji Train command share, so both train and name models alike.
 * <pre>{@code
 * TrainJob.Options opt = TrainRuns.options(hr, null, valHr, null, 0.1, 256, "em", cfg, bundle, null, false, false,
 *         Device.AUTO);
 * TrainJob.Outcome outcome = new TrainJob(opt).run(listeners);
 * if (outcome.training().completed()) {
 *     TrainRuns.export(opt, outcome, bundle, TrainRuns.modality("em", null), "", "", "", "how it was run", listeners);
 * }
 * }</pre>
 */
public final class TrainRuns {

    private TrainRuns() {
    }

    /**
     * The default masked fraction of self-supervised training: one pixel per 2×2 cell (25 %). In a short budget
     * more scored pixels per step train faster: on two FMD frames, 1000 steps gave 35.28 dB at 1.6 %, 35.46 at
     * 6.25 %, 35.52 at 11 % and 35.65 at 25 % (docs/training.md).
     */
    public static final double MASK_FRACTION = 0.25;

    /**
     * Options of a self-supervised (Noise2Void) run on noisy images alone, at scale 1.
     *
     * @param base a x1 model to fine-tune, or {@code null}
     * @param maskFraction see {@link BlindSpotMasker}; the neighbourhood is N2V's 5×5 window
     * @throws TrainingException when the run would replace something without {@code overwrite}
     */
    public static TrainJob.Options selfSupervised(List<Path> images, ModelBundle base, double maskFraction, int valMax,
            TrainConfig cfg, Path bundle, Path work, boolean resume, boolean overwrite, Device device)
            throws TrainingException {
        return selfSupervised(images, base, maskFraction, TrainJob.SelfSupervision.AUTO, valMax, cfg, bundle, work, resume,
                overwrite, device);
    }

    /**
     * Whether a training run asked for {@code precision} trains in mixed bf16 ({@link TrainJob#optBf16}): fp32
     * trains in fp32; bf16 only on the CPU and only where it computes bf16 natively (elsewhere it would be
     * emulated, slower than fp32); auto is not offered for training.
     *
     * @throws IllegalArgumentException naming the way out, worded to follow the option's name
     */
    public static boolean bf16(Precision precision, Device device, boolean nativeBf16) {
        if (precision == Precision.AUTO) {
            throw new IllegalArgumentException("must be fp32 or bf16 for training, not auto");
        }
        if (precision != Precision.BF16) {
            return false;
        }
        if (device == Device.GPU) {
            throw new IllegalArgumentException("bf16 trains on the CPU (oneDNN): choose device cpu or auto, or precision fp32");
        }
        if (!nativeBf16) {
            throw new IllegalArgumentException("bf16: this CPU has no native bf16 (avx512_bf16 or amx_bf16 in /proc/cpuinfo),"
                    + " where it would be emulated and slower than fp32; use precision fp32");
        }
        return true;
    }

    /**
     * @param centreWeight share of the noisy pixel blended back ({@link CentreWeight}), or
     *                     {@link TrainJob.SelfSupervision#AUTO} to estimate it after training
     */
    public static TrainJob.Options selfSupervised(List<Path> images, ModelBundle base, double maskFraction,
            double centreWeight, int valMax, TrainConfig cfg, Path bundle, Path work, boolean resume, boolean overwrite,
            Device device) throws TrainingException {
        Path workDir = work != null ? work : defaultWorkDir(bundle);
        checkOutputs(bundle, workDir, resume, overwrite);
        return new TrainJob.Options(images, null, List.of(), null, 0, valMax, null, cfg, workDir, resume, overwrite, device,
                new TrainJob.SelfSupervision(new BlindSpotMasker(maskFraction, BlindSpotMasker.DEFAULT_RADIUS), base,
                        centreWeight));
    }

    /**
     * @param preset a built-in preset name or a preset file; its scale becomes the network's
     * @param work      checkpoints and logs; {@code null} = {@link #defaultWorkDir}
     * @param overwrite replace an existing bundle and start again over an earlier run's checkpoint
     * @throws TrainingException when the run would replace something without {@code overwrite} ({@link #checkOutputs})
     */
    public static TrainJob.Options options(List<Path> hr, Path lr, List<Path> valHr, Path valLr, double valFraction,
            int valMax, String preset, TrainConfig cfg, Path bundle, Path work, boolean resume, boolean overwrite,
            Device device) throws IOException, TrainingException {
        Path workDir = work != null ? work : defaultWorkDir(bundle);
        checkOutputs(bundle, workDir, resume, overwrite);
        return new TrainJob.Options(hr, lr, valHr, valLr, valFraction, valMax, Presets.resolve(preset, cfg.net().scale()), cfg,
                workDir, resume, overwrite, device);
    }

    /**
     * The rule {@code train} and {@code finetune} share, checked before any training so nothing is lost and
     * no run ends in an avoidable error:
     * <ul>
     *   <li>an existing output is replaced only with {@code overwrite}, and only if it is a model bundle (a
     *       folder with {@code rdf.yaml}): a folder of images or a file is never deleted;</li>
     *   <li>without {@code resume}, an earlier run's checkpoint in the work folder is started over only with
     *       {@code overwrite} (it may be hours of training);</li>
     *   <li>the work folder is neither the bundle nor inside it (exporting replaces the bundle folder).</li>
     * </ul>
     */
    public static void checkOutputs(Path bundle, Path work, boolean resume, boolean overwrite) throws TrainingException {
        Path out = bundle.toAbsolutePath().normalize();
        Path w = work.toAbsolutePath().normalize();
        if (w.startsWith(out)) {
            throw new TrainingException("the work folder " + w + " must not be the output bundle " + out
                    + " or inside it (exporting replaces the bundle); choose another --work");
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            if (!overwrite) {
                throw new TrainingException("output " + out + " already exists; choose another name or allow overwriting"
                        + " (--overwrite)");
            }
            if (!isBundle(out)) {
                throw new TrainingException("output " + out + " exists and is not a model bundle (no "
                        + RdfYaml.FILE_NAME + "); overwriting replaces bundles only, so choose another folder");
            }
        }
        if (!resume && !overwrite && Files.exists(w.resolve(Checkpoint.FILE), LinkOption.NOFOLLOW_LINKS)) {
            throw new TrainingException("the work folder " + w + " holds the checkpoint of an earlier run; continue it"
                    + " with --resume, or start again with --overwrite");
        }
    }

    /** A real folder (not a link) holding {@code rdf.yaml}: what {@code --overwrite} may replace. */
    public static boolean isBundle(Path dir) {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(dir.resolve(RdfYaml.FILE_NAME), LinkOption.NOFOLLOW_LINKS);
    }

    /** {@code BUNDLE.work} beside the bundle, so a resumed run finds its checkpoints without being told. */
    public static Path defaultWorkDir(Path bundle) {
        return bundle.resolveSibling(bundle.getFileName() + ".work");
    }

    /** The modality recorded in the bundle: the explicit one, else the preset's name (a fitted preset file is fluorescence). */
    public static String modality(String preset, String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        return Files.isRegularFile(Path.of(preset)) ? "fluo" : preset;
    }

    /** Writes the bundle of a completed run; its folder name is the model name. */
    public static Path export(TrainJob.Options opt, TrainJob.Outcome outcome, Path bundle, String modality,
            String description, String license, String dataNote, String commandLine, List<TrainingListener> listeners)
            throws IOException, BundleException, RuntimeUnavailableException, TrainingException {
        return new ModelExport(opt, outcome, bundle.getFileName().toString(), modality, description, license, dataNote,
                commandLine).write(bundle, listeners);
    }
}
