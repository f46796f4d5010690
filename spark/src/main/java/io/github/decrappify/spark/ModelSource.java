package io.github.decrappify.spark;

import io.github.decrappify.tile.TileModel;
import java.io.Serializable;

/**
 * How an executor gets the model: shipped to executors as a small serialisable description, loaded
 * there once per JVM ({@link ExecutorModels}) and reused by every task that JVM runs.
 */
public interface ModelSource extends Serializable {

    /** Identifies the loaded model within an executor JVM (same key = same model instance). */
    String key();

    /** Loads the model; called once per executor JVM and key. */
    TileModel load() throws Exception;

    /**
     * The model's geometry (scale, size multiple, channels, name) for planning on the driver, ideally
     * without loading the runtime there; {@code predict} need not work. Default: {@link #load()}.
     */
    default TileModel geometry() throws Exception {
        return load();
    }

    /** Identifies the weights for the output's fingerprint (e.g. their sha256). */
    String weightsId();
}
