package io.github.decrappify.train;

import io.github.decrappify.crappify.Presets;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * From a user's training choices to {@link TrainJob.Options}, and from a finished run to a bundle: the
 * rules {@code decrappify train} and the Fiji Train command share, so both train and name models alike.
 * <pre>{@code
 * TrainJob.Options opt = TrainRuns.options(hr, null, valHr, null, 0.1, 256, "em", cfg, bundle, null, false, Device.AUTO);
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
     * @param preset a built-in preset name or a preset file; its scale becomes the network's
     * @param work   checkpoints and logs; {@code null} = {@link #defaultWorkDir}
     */
    public static TrainJob.Options options(List<Path> hr, Path lr, List<Path> valHr, Path valLr, double valFraction,
            int valMax, String preset, TrainConfig cfg, Path bundle, Path work, boolean resume, Device device)
            throws IOException {
        return new TrainJob.Options(hr, lr, valHr, valLr, valFraction, valMax, Presets.resolve(preset, cfg.net().scale()), cfg,
                work != null ? work : defaultWorkDir(bundle), resume, device);
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
