package io.github.decrappify.fiji;

import ij.gui.Plot;
import ij.gui.PlotWindow;
import io.github.decrappify.train.nogan.Metrics;
import io.github.decrappify.train.nogan.NoGanListener;
import io.github.decrappify.train.nogan.StepEvent;
import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;

/**
 * Fine-tuning progress in Fiji: the status bar and progress bar (phase, step, loss), the log (phases,
 * validations, messages) and, with a screen, live plots of generator/critic losses and validation
 * PSNR. Cancellation is polled from {@code stop}; the run then writes a checkpoint and returns.
 */
final class NoGanMonitor implements NoGanListener {

    private static final long REFRESH_NANOS = 500_000_000L;

    private final StatusService status;
    private final LogService log;
    private final BooleanSupplier stop;
    private final boolean live;
    private final GanPlot curves = new GanPlot();
    private PlotWindow lossWindow;
    private PlotWindow psnrWindow;
    private long lastRefresh;
    private long steps;

    NoGanMonitor(StatusService status, LogService log, BooleanSupplier stop) {
        this(status, log, stop, !GraphicsEnvironment.isHeadless());
    }

    NoGanMonitor(StatusService status, LogService log, BooleanSupplier stop, boolean live) {
        this.status = status;
        this.log = log;
        this.stop = stop;
        this.live = live;
    }

    GanPlot curves() {
        return curves;
    }

    @Override
    public void onPhase(String phase, String description) {
        log.info("Decrappify: " + phase + ": " + description);
        status.showStatus("Decrappify: " + phase + ": " + description);
    }

    @Override
    public void onStep(StepEvent e) {
        steps++;
        if (e.kind().equals(StepEvent.CRITIC)) {
            curves.addCritic(steps, e.loss());
        } else {
            curves.addGenerator(steps, e.loss());
        }
        long now = System.nanoTime();
        if (e.step() != e.budget() && now - lastRefresh < REFRESH_NANOS) {
            return;
        }
        lastRefresh = now;
        String acc = Double.isNaN(e.criticAccuracy()) ? "" : String.format(Locale.ROOT, ", accuracy %.2f", e.criticAccuracy());
        status.showStatus((int) Math.min(e.step(), Integer.MAX_VALUE), (int) Math.min(e.budget(), Integer.MAX_VALUE),
                String.format(Locale.ROOT, "Decrappify fine-tuning: %s step %d/%d, %s loss %.4f%s, %.2f s/step", e.phase(),
                        e.step(), e.budget(), e.kind(), e.loss(), acc, e.seconds()));
        if (live) {
            lossWindow = show(lossWindow, curves.lossPlot());
        }
    }

    @Override
    public void onValidation(String phase, long step, Metrics m) {
        curves.addPsnr(steps, m.psnr());
        log.info("Decrappify: " + phase + " validation at step " + step + ": " + m);
        if (live) {
            psnrWindow = show(psnrWindow, curves.psnrPlot());
        }
    }

    @Override
    public void onCheckpoint(String phase, long step, Path dir) {
        log.debug("Decrappify: checkpoint (" + phase + " step " + step + ") in " + dir);
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
