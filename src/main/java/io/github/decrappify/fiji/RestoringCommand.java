package io.github.decrappify.fiji;

import ij.IJ;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * What Restore… and Restore folder… share besides their parameters (which each declares itself, in its
 * dialog's order): the model check, progress that Esc or a cancel stops, and one translation of the
 * engine's exceptions into a stop or a one-line failure.
 */
abstract class RestoringCommand extends DecrappifyCommand {

    /** The engine call of a command, throwing what {@link ImageRestorer} throws. */
    @FunctionalInterface
    interface Job {
        void run() throws BadInputException, BundleException, RuntimeUnavailableException, IOException;
    }

    /** Progress that stops on Esc or a cancel, logs the engine's messages and knows the model's device. */
    class Progress implements RestoreProgress {
        /** What runs the model ("CPU: ...", "GPU: ..."), once it is loaded. */
        String device = "?";

        @Override
        public void started(String model, String dev) {
            device = dev;
        }

        @Override
        public void message(String text) {
            log.info("Decrappify: " + text);
        }

        @Override
        public boolean cancelRequested() {
            return stopRequested();
        }
    }

    /**
     * Runs {@code job} with model {@code model}, unless the model is missing: a cancel stops the command
     * with {@code canceled}'s message, bad input, models and runtimes fail it with their one-line reason,
     * other I/O failures with "Cannot restore {@code what}".
     */
    void restoring(String what, String model, Job job, Supplier<String> canceled) {
        if (model == null || model.isBlank()) {
            fail("No model given; give an installed model name (e.g. " + FijiModels.DEFAULT_MODEL
                    + ") or a bundle folder or .zip");
            return;
        }
        IJ.resetEscape();
        try {
            job.run();
        } catch (CancellationException e) {
            stopped(canceled.get());
        } catch (BadInputException | BundleException | RuntimeUnavailableException | IllegalArgumentException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail("Cannot restore " + what + ": " + e.getMessage());
        }
    }
}
