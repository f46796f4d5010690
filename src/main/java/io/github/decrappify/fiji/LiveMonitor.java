package io.github.decrappify.fiji;

import ij.gui.Plot;
import ij.gui.PlotWindow;
import io.github.decrappify.train.Metrics;
import io.github.decrappify.train.Trainer;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;

/**
 * What the training and fine-tuning monitors share: the status/log services, the cancel flag, a
 * throttle for redraws, two live plot windows (loss and validation PSNR) when there is a screen, and
 * the best blur that validations are reported against.
 */
abstract class LiveMonitor {

    /** Redraw the status line and loss plot at most this often: drawing must not slow training down. */
    private static final long REFRESH_NANOS = 500_000_000L;

    protected final StatusService status;
    protected final LogService log;
    private final BooleanSupplier stop;
    private final boolean live;
    private PlotWindow lossWindow;
    private PlotWindow psnrWindow;
    private long lastRefresh;
    private Metrics baseline;

    LiveMonitor(StatusService status, LogService log, BooleanSupplier stop, boolean live) {
        this.status = status;
        this.log = log;
        this.stop = stop;
        this.live = live;
    }

    /** Whether to redraw now: always for the last step, else at most every {@link #REFRESH_NANOS}. */
    protected boolean refreshDue(boolean last) {
        long now = System.nanoTime();
        if (!last && now - lastRefresh < REFRESH_NANOS) {
            return false;
        }
        lastRefresh = now;
        return true;
    }

    protected void showLoss(Plot plot) {
        if (live) {
            lossWindow = show(lossWindow, plot);
        }
    }

    protected void showPsnr(Plot plot) {
        if (live) {
            psnrWindow = show(psnrWindow, plot);
        }
    }

    /** Keeps the run's best blur for {@link #versus} and says it in the log. */
    protected void logBaseline(Metrics baseline, int images) {
        this.baseline = baseline;
        log.info(String.format(Locale.ROOT, "Decrappify: best Gaussian-smoothed bicubic on the %d validation images:"
                + " PSNR %.3f dB, SSIM %.4f (a model below it is not worth using)", images, baseline.psnr(), baseline.ssim()));
    }

    /** {@code "; best blur b dB: ±d dB"} for a validation's log line; empty before the best blur is known. */
    protected String versus(double psnr) {
        return baseline == null ? "" : Trainer.versus(psnr, baseline);
    }

    public void onMessage(String message) {
        log.info("Decrappify: " + message);
        status.showStatus("Decrappify: " + message);
    }

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
