package io.github.decrappify.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Observes a training run, supervised or NoGAN: progress lines, Fiji plots, logs and cancellation are
 * listeners, not branches in the loop (DJL's {@code TrainingListener} is the model). All methods
 * default to doing nothing; {@link #of} combines several.
 */
public interface TrainingListener {

    /** A phase starts ({@code phase} as in the log: {@code train}, {@code pretrain}, {@code critic-1}, ...). */
    default void onPhase(String phase, String description) {}

    /** After each optimiser step (and before the phase's validation of that step, if any). */
    default void onStep(StepEvent event) {}

    /** A validation of the current generator on {@code images} held-out images. */
    default void onValidation(String phase, long step, Metrics metrics, int images) {}

    /**
     * The baseline every validation of the run is measured against (the best Gaussian-smoothed bicubic on
     * the same images, {@link Validation#bestBlur}); sent once, before the first validation, with that
     * validation's phase. All phases of a NoGAN run validate on the same images, so one bar holds for all.
     */
    default void onBaseline(String phase, Metrics baseline, int images) {}

    /** A checkpoint was written to {@code dir}. */
    default void onCheckpoint(String phase, long step, Path dir) {}

    default void onMessage(String message) {}

    /** Polled after every step; returning true stops the run after writing a checkpoint. */
    default boolean cancelRequested() {
        return false;
    }

    /** One listener that forwards every event to {@code listeners}, in order; cancel when any asks. */
    static TrainingListener of(List<? extends TrainingListener> listeners) {
        List<TrainingListener> all = List.copyOf(listeners);
        return new TrainingListener() {
            @Override
            public void onPhase(String phase, String description) {
                all.forEach(l -> l.onPhase(phase, description));
            }

            @Override
            public void onStep(StepEvent event) {
                all.forEach(l -> l.onStep(event));
            }

            @Override
            public void onValidation(String phase, long step, Metrics metrics, int images) {
                all.forEach(l -> l.onValidation(phase, step, metrics, images));
            }

            @Override
            public void onBaseline(String phase, Metrics baseline, int images) {
                all.forEach(l -> l.onBaseline(phase, baseline, images));
            }

            @Override
            public void onCheckpoint(String phase, long step, Path dir) {
                all.forEach(l -> l.onCheckpoint(phase, step, dir));
            }

            @Override
            public void onMessage(String message) {
                all.forEach(l -> l.onMessage(message));
            }

            @Override
            public boolean cancelRequested() {
                return all.stream().anyMatch(TrainingListener::cancelRequested);
            }
        };
    }
}
