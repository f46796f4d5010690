package io.github.decrappify.fiji;

import io.github.decrappify.train.Metrics;
import io.github.decrappify.train.TrainingListener;
import io.github.decrappify.train.StepEvent;
import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;

/**
 * Fine-tuning progress in Fiji: the status bar and progress bar (phase, step, loss), the log (phases,
 * validations against the best blur, messages) and, with a screen, live plots of generator/critic
 * losses and validation PSNR (with the best blur as a grey level, as Fiji Train draws it). Cancellation is polled from {@code stop}; the run then writes a checkpoint and returns.
 */
final class NoGanMonitor extends LiveMonitor implements TrainingListener {

    private final GanPlot curves = new GanPlot();
    private long steps;

    NoGanMonitor(StatusService status, LogService log, BooleanSupplier stop) {
        this(status, log, stop, !GraphicsEnvironment.isHeadless());
    }

    NoGanMonitor(StatusService status, LogService log, BooleanSupplier stop, boolean live) {
        super(status, log, stop, live);
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
        if (!refreshDue(e.step() == e.budget())) {
            return;
        }
        String acc = Double.isNaN(e.criticAccuracy()) ? "" : String.format(Locale.ROOT, ", accuracy %.2f", e.criticAccuracy());
        status.showStatus((int) Math.min(e.step(), Integer.MAX_VALUE), (int) Math.min(e.budget(), Integer.MAX_VALUE),
                String.format(Locale.ROOT, "Decrappify fine-tuning: %s step %d/%d, %s loss %.4f%s, %.2f s/step", e.phase(),
                        e.step(), e.budget(), e.kind(), e.loss(), acc, e.seconds()));
        showLoss(curves.lossPlot());
    }

    @Override
    public void onValidation(String phase, long step, Metrics m, int images) {
        curves.addPsnr(steps, m.psnr());
        log.info(String.format(Locale.ROOT, "Decrappify: %s validation at step %d: %s (%d images%s)", phase, step, m, images,
                versus(m.psnr())));
        showPsnr(curves.psnrPlot());
    }

    @Override
    public void onBaseline(String phase, Metrics baseline, int images) {
        curves.setBaseline(baseline.psnr());
        logBaseline(baseline, images);
    }

    @Override
    public void onCheckpoint(String phase, long step, Path dir) {
        log.debug("Decrappify: checkpoint (" + phase + " step " + step + ") in " + dir);
    }
}
