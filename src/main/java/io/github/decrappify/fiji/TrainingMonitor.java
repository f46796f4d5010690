package io.github.decrappify.fiji;

import io.github.decrappify.train.Metrics;
import io.github.decrappify.train.StepEvent;
import io.github.decrappify.train.TrainingListener;
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
final class TrainingMonitor extends LiveMonitor implements TrainingListener {

    private final TrainingPlot curves = new TrainingPlot();

    TrainingMonitor(StatusService status, LogService log, BooleanSupplier stop) {
        this(status, log, stop, !GraphicsEnvironment.isHeadless());
    }

    TrainingMonitor(StatusService status, LogService log, BooleanSupplier stop, boolean live) {
        super(status, log, stop, live);
    }

    TrainingPlot curves() {
        return curves;
    }

    @Override
    public void onStep(StepEvent e) {
        long step = e.step();
        long total = e.budget();
        double stepsPerSecond = e.stepsPerSecond();
        curves.addLoss(step, e.loss());
        if (!refreshDue(step == total)) {
            return;
        }
        long eta = stepsPerSecond > 0 ? (long) ((total - step) / stepsPerSecond) : 0;
        status.showStatus((int) Math.min(step, Integer.MAX_VALUE), (int) Math.min(total, Integer.MAX_VALUE),
                String.format(Locale.ROOT, "Decrappify: training step %d/%d, loss %.4f, %.1f steps/s, ETA %d:%02d:%02d",
                        step, total, e.loss(), stepsPerSecond, eta / 3600, eta / 60 % 60, eta % 60));
        showLoss(curves.lossPlot());
    }

    @Override
    public void onValidation(String phase, long step, Metrics result, int images) {
        curves.addPsnr(step, result.psnr());
        log.info(String.format(Locale.ROOT, "Decrappify: validation at step %d: PSNR %.3f dB, SSIM %.4f (%d images%s)",
                step, result.psnr(), result.ssim(), images, versus(result.psnr())));
        showPsnr(curves.psnrPlot());
    }

    @Override
    public void onBaseline(String phase, Metrics baseline, int images) {
        curves.setBaseline(baseline.psnr());
        logBaseline(baseline, images);
    }

    @Override
    public void onCheckpoint(String phase, long step, Path dir) {
        log.info("Decrappify: checkpoint at step " + step + " in " + dir);
    }
}
