package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Metrics;
import java.nio.file.Path;

/**
 * Observes a NoGAN run: progress lines, CSV logs, Fiji plots and cancellation are listeners, not
 * branches in the loop. All methods default to doing nothing.
 */
public interface NoGanListener {

    /** A phase starts ({@code phase} as in the log, e.g. {@code pretrain}, {@code critic-1}, {@code gan-1}). */
    default void onPhase(String phase, String description) {}

    /** After each optimiser step. */
    default void onStep(StepEvent event) {}

    default void onValidation(String phase, long step, Metrics metrics) {}

    default void onCheckpoint(String phase, long step, Path dir) {}

    default void onMessage(String message) {}

    /** Polled every step; returning true stops the run after writing a checkpoint. */
    default boolean cancelRequested() {
        return false;
    }
}
