package io.github.decrappify.fiji;

import io.github.decrappify.restore.RestoreListener;

/** What {@link ImageRestorer} reports besides planes and tiles, and how it is asked to stop. */
interface RestoreProgress extends RestoreListener {

    /** The model is loaded; {@code device} names what runs it, e.g. "CPU: AMD EPYC (2 cores)". */
    default void started(String model, String device) {
    }

    /** Polled before every tile; {@code true} stops the run, leaving no output behind. */
    default boolean cancelRequested() {
        return false;
    }
}
