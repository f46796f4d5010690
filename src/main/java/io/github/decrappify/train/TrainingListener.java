package io.github.decrappify.train;

/**
 * Observes a training run: progress lines, Fiji plots, CSV logs and cancellation are listeners, not
 * branches in the loop. All methods default to doing nothing.
 */
public interface TrainingListener {

    /** After each optimiser step. {@code stepsPerSecond} is measured since the run (or resume) began. */
    default void onStep(long step, long total, TrainGraph.StepLoss loss, float learningRate, double stepsPerSecond) {}

    default void onValidation(long step, Validation.Result result) {}

    default void onCheckpoint(long step, java.nio.file.Path dir) {}

    default void onMessage(String message) {}

    /** Polled every step; returning true stops the run after writing a checkpoint. */
    default boolean cancelRequested() {
        return false;
    }
}
