package io.github.decrappify.fiji;

import io.github.decrappify.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the Fiji commands find models: the user store ({@code $DECRAPPIFY_MODELS}, else
 * {@code ~/.decrappify/models}, shared with the command line) and the models shipped with Fiji in
 * {@code <Fiji.app>/models/decrappify} ({@code -Ddecrappify.home=DIR} points at {@code DIR/models}
 * instead, as {@code bin/decrappify} does).
 */
final class FijiModels {

    /** Shown as the default of every "model" parameter. */
    static final String DEFAULT_MODEL = "em-x4-unet-s";

    static final String MODEL_DESCRIPTION = "Installed model name (e.g. em-x4-unet-s, fluo-x4-unet-s), "
            + "a model bundle folder or a bundle .zip";

    private FijiModels() {
    }

    static ModelStore store() {
        return ModelStore.standard(bundledDir());
    }

    /** The shipped models folder, or {@code null} when there is none (user store only). */
    static Path bundledDir() {
        String home = System.getProperty("decrappify.home");
        String ijDir = System.getProperty("ij.dir");
        Path dir = home != null ? Paths.get(home, "models")
                : ijDir != null ? Paths.get(ijDir, "models", "decrappify") : null;
        return dir != null && Files.isDirectory(dir) ? dir : null;
    }
}
