package io.github.decrappify.train;

import io.github.decrappify.model.BundleSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data of self-supervised (blind-spot) training: noisy images only. Every 2D plane of the given
 * files and folders (stacks: each slice, frame and channel) becomes one training image, normalised
 * per plane like supervised training data, and stands as both input and target of a
 * {@link TrainingPair} (the {@link BlindSpotMasker} then hides the pixels the loss is computed on).
 * Files are read with {@link TrainingImages}, so missing paths, unreadable or RGB files fail as they do
 * for the other commands.
 *
 * <p>Too little data fails before training with a message that says what to change: every plane must
 * hold one patch, and all planes together at least {@link #MIN_PATCHES} non-overlapping patches
 * (fewer would be seen over and over, and the network would learn their noise).
 */
public final class NoisyImages {

    /** Non-overlapping patches the data must hold in total. */
    public static final int MIN_PATCHES = 8;

    private NoisyImages() {}

    /**
     * @param paths image files or folders (folders non-recursively, sorted by name)
     * @param patch patch edge in pixels
     * @param option the command-line option or dialog field the paths came from, for messages
     */
    public static List<TrainingPair> read(List<Path> paths, BundleSpec.PercentileRange norm, int patch, String option)
            throws IOException, TrainingException {
        List<TrainingImages.Named> planes = TrainingImages.read(TrainingImages.list(paths), 1);
        List<String> small = new ArrayList<>();
        List<TrainingPair> out = new ArrayList<>();
        long patches = 0;
        for (TrainingImages.Named n : planes) {
            int w = n.plane().width();
            int h = n.plane().height();
            if (w < patch || h < patch) {
                small.add(n.name() + " " + w + "x" + h);
                continue;
            }
            patches += (long) (w / patch) * (h / patch);
            var plane = TrainJob.normalise(n.plane(), norm);
            out.add(new TrainingPair(n.name(), plane, plane));
        }
        if (!small.isEmpty()) {
            throw new TrainingException(String.format(Locale.ROOT,
                    "%d of %d planes in %s are smaller than the %dx%d training patch (%s): give larger images or a"
                            + " smaller patch size (a multiple of 8)", small.size(), planes.size(), option, patch, patch,
                    String.join(", ", small.subList(0, Math.min(3, small.size()))) + (small.size() > 3 ? ", …" : "")));
        }
        if (patches < MIN_PATCHES) {
            throw new TrainingException(String.format(Locale.ROOT,
                    "self-supervised training needs at least %d patches of %dx%d pixels in all images together; %s holds"
                            + " %d (%d plane%s): give more or larger noisy images", MIN_PATCHES, patch, patch, option,
                    patches, planes.size(), planes.size() == 1 ? "" : "s"));
        }
        return out;
    }
}
