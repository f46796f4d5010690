package io.github.decrappify.fiji;

import ij.IJ;
import ij.macro.Interpreter;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.train.TrainRuns;
import java.awt.GraphicsEnvironment;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;

/**
 * What the Decrappify commands share: the log and status services, and one way to fail. A failure is
 * never silent: a one-line message goes to the log (and a dialog when Fiji has a window), the command
 * is canceled with that reason (so scripts see it on the module), and a running macro is aborted, so
 * that {@code run("Decrappify Restore...", ...)} stops a batch instead of carrying on without an output.
 */
abstract class DecrappifyCommand extends ContextCommand {

    static final String PIXELS_FLOAT = "32-bit float";
    static final String PIXELS_SAME = "same as input";

    @Parameter
    protected LogService log;

    @Parameter
    protected StatusService status;

    /** Reports a problem the user can fix and cancels the command; see the class comment. */
    protected void fail(String message) {
        String line = oneLine(message);
        log.error("Decrappify: " + line);
        if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null) {
            IJ.error("Decrappify", line);
        }
        status.showStatus("Decrappify: failed");
        cancel(line);
        if (Interpreter.getInstance() != null) {
            Interpreter.abort();
        }
    }

    /** The user stopped the run (Esc or cancel): not an error, but there is no result. */
    protected void stopped(String message) {
        log.info("Decrappify: " + message);
        status.showStatus("Decrappify: " + message);
        cancel(message);
    }

    /** Esc in ImageJ, or a cancel from SciJava (a script or another thread). */
    protected boolean stopRequested() {
        return isCanceled() || IJ.escapePressed();
    }

    static String oneLine(String message) {
        return message == null || message.isBlank() ? "unknown error" : message.replace('\n', ' ').strip();
    }

    /** Device choice ("auto", "cpu", "gpu"). */
    static Device device(String choice) {
        return Device.parse(choice);
    }

    /**
     * Whether Train… or Fine-tune… trains in bf16 ({@link TrainRuns#bf16} for this CPU).
     *
     * @throws IllegalArgumentException "Precision …" with the way out, when bf16 is refused
     */
    static boolean trainBf16(String precision, String device) {
        try {
            return TrainRuns.bf16(Precision.parse(precision), device(device), Precision.cpuHasNativeBf16());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Precision " + e.getMessage(), e);
        }
    }

    /**
     * The shared restore overrides: {@code tile} 0 and {@code overlap} −1 mean "as the bundle says".
     *
     * @throws IllegalArgumentException with a one-line message for values out of range
     */
    static RestoreRequest request(int tile, int overlap, String pixels, boolean overwrite, boolean skipExisting) {
        if (tile < 0) {
            throw new IllegalArgumentException("tile must be 0 (the model's default) or a size in pixels, not " + tile);
        }
        if (overlap < -1) {
            throw new IllegalArgumentException("overlap must be -1 (the model's default) or >= 0, not " + overlap);
        }
        RestoreSettings.OutType type = switch (pixels) {
            case PIXELS_FLOAT -> RestoreSettings.OutType.FLOAT;
            case PIXELS_SAME -> RestoreSettings.OutType.SAME;
            default -> throw new IllegalArgumentException("pixels must be '" + PIXELS_FLOAT + "' or '" + PIXELS_SAME
                    + "', not '" + pixels + "'");
        };
        return new RestoreRequest(tile, overlap < 0 ? null : overlap, type, overwrite, skipExisting);
    }
}
