package io.github.decrappify.fiji;

import ij.gui.Plot;
import ij.gui.PlotWindow;
import io.github.decrappify.train.TrainGraph;
import io.github.decrappify.train.TrainingListener;
import io.github.decrappify.train.Validation;
import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;

/**
 * Training progress in Fiji: the status bar (step, loss, speed, ETA), the log (validations,
 * checkpoints, messages) and, when there is a screen, live plots of the loss and validation PSNR.
 * Cancellation is polled from {@code stop}; the trainer then writes a checkpoint and returns.
 */
final class TrainingMonitor implements TrainingListener {

    /** Redraw the status line and loss plot at most this often: drawing must not slow training down. */
    private static final long REFRESH_NANOS = 500_000_000L;

    private final StatusService status;
    private final LogService log;
    private final BooleanSupplier stop;
    private final boolean live;
    private final TrainingPlot curves = new TrainingPlot();
    private PlotWindow lossWindow;
    private PlotWindow psnrWindow;
    private long lastRefresh;

    TrainingMonitor(StatusService status, LogService log, BooleanSupplier stop) {
        this(status, log, stop, !GraphicsEnvironment.isHeadless());
    }

    TrainingMonitor(StatusService status, LogService log, BooleanSupplier stop, boolean live) {
        this.status = status;
        this.log = log;
        this.stop = stop;
        this.live = live;
    }

    TrainingPlot curves() {
        return curves;
    }

    @Override
    public void onStep(long step, long total, TrainGraph.StepLoss loss, float learningRate, double stepsPerSecond) {
        curves.addLoss(step, loss.loss());
        long now = System.nanoTime();
        if (step != total && now - lastRefresh < REFRESH_NANOS) {
            return;
        }
        lastRefresh = now;
        long eta = stepsPerSecond > 0 ? (long) ((total - step) / stepsPerSecond) : 0;
        status.showStatus((int) Math.min(step, Integer.MAX_VALUE), (int) Math.min(total, Integer.MAX_VALUE),
                String.format(Locale.ROOT, "Decrappify: training step %d/%d, loss %.4f, %.1f steps/s, ETA %d:%02d:%02d",
                        step, total, loss.loss(), stepsPerSecond, eta / 3600, eta / 60 % 60, eta % 60));
        if (live) {
            lossWindow = show(lossWindow, curves.lossPlot());
        }
    }

    @Override
    public void onValidation(long step, Validation.Result result) {
        curves.addPsnr(step, result.psnr());
        log.info(String.format(Locale.ROOT, "Decrappify: validation at step %d: PSNR %.3f dB, SSIM %.4f (%d images)",
                step, result.psnr(), result.ssim(), result.images()));
        if (live) {
            psnrWindow = show(psnrWindow, curves.psnrPlot());
        }
    }

    @Override
    public void onCheckpoint(long step, Path dir) {
        log.info("Decrappify: checkpoint at step " + step + " in " + dir);
    }

    @Override
    public void onMessage(String message) {
        log.info("Decrappify: " + message);
        status.showStatus("Decrappify: " + message);
    }

    @Override
    public boolean cancelRequested() {
        return stop.getAsBoolean();
    }

    /** Opens the plot's window the first time, then redraws it in place (unless the user closed it). */
    private static PlotWindow show(PlotWindow window, Plot plot) {
        if (window == null) {
            return plot.show();
        }
        if (window.isShowing()) {
            window.drawPlot(plot);
        }
        return window;
    }
}
