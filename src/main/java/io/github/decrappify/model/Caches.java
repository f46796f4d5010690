package io.github.decrappify.model;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where Decrappify keeps what it can rebuild (extracted bundle zips, TensorFlow natives), and which TensorFlow
 * the bundles it writes and runs are for. Here, not in {@code runtime}, because {@code model} needs both and
 * {@code runtime} depends on {@code model}, not the other way round.
 */
public final class Caches {

    /** TensorFlow version of the weights bundles record and of the natives that run them (TF Java in DJL 0.36). */
    public static final String TENSORFLOW_VERSION = "2.16.1";

    private Caches() {
    }

    /** Root of Decrappify's caches: {@code $DECRAPPIFY_CACHE}, else {@code ~/.decrappify/cache}. */
    public static Path root() {
        String env = System.getenv("DECRAPPIFY_CACHE");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".decrappify", "cache");
    }
}
