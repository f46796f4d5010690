package io.github.decrappify.cli;

import io.github.decrappify.train.Metrics;
import io.github.decrappify.train.PixelLoss;
import io.github.decrappify.train.StepEvent;
import io.github.decrappify.train.Trainer;
import io.github.decrappify.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Plain progress lines for terminals and job schedulers: one line per interval, no carriage returns.
 * Written to the log (stderr), flushed line by line so a scheduler's log file follows the run.
 */
final class ProgressPrinter implements TrainingListener {
    private final PrintWriter out;
    private final int every;
    /** Once known, validations say how far above (or below) the best blur they are. */
    private Metrics baseline;

    ProgressPrinter(PrintWriter out, int every) {
        this.out = out;
        this.every = Math.max(1, every);
    }

    @Override
    public void onStep(StepEvent e) {
        long step = e.step();
        long total = e.budget();
        double rate = e.stepsPerSecond();
        if (step % every == 0 || step == total) {
            long eta = rate > 0 ? (long) ((total - step) / rate) : 0;
            // the pixel term under its own name: l1, or mse for --loss l2
            String pixel = e.values().containsKey(PixelLoss.L2.column()) ? PixelLoss.L2.column() : StepEvent.L1;
            out.printf(Locale.ROOT, "step %d/%d  loss %.5f  %s %.5f  lr %.2e  %.2f steps/s  ETA %s%n", step, total,
                    e.loss(), pixel, e.value(pixel), e.learningRate(), rate, duration(eta));
            out.flush();
        }
    }

    @Override
    public void onValidation(String phase, long step, Metrics r, int images) {
        out.printf(Locale.ROOT, "validation at step %d: PSNR %.3f dB  SSIM %.4f  (%d images%s)%n", step, r.psnr(), r.ssim(),
                images, versus(r.psnr(), baseline));
        out.flush();
    }

    @Override
    public void onBaseline(String phase, Metrics baseline, int images) {
        this.baseline = baseline;
        out.println(baselineLine(baseline, images));
        out.flush();
    }

    /** The line announcing the best blur; {@code finetune}'s progress prints the same. */
    static String baselineLine(Metrics baseline, int images) {
        return String.format(Locale.ROOT, "best Gaussian-smoothed bicubic on the %d validation images: PSNR %.3f dB  SSIM %.4f"
                + " (a model below it is not worth using)", images, baseline.psnr(), baseline.ssim());
    }

    /** {@code "; best blur b dB: ±d dB"} for a validation's parenthesis, empty before the baseline is known. */
    static String versus(double psnr, Metrics baseline) {
        return baseline == null ? "" : Trainer.versus(psnr, baseline);
    }

    @Override
    public void onCheckpoint(String phase, long step, Path dir) {
        out.printf(Locale.ROOT, "checkpoint at step %d in %s%n", step, dir);
        out.flush();
    }

    @Override
    public void onMessage(String message) {
        out.println(message);
        out.flush();
    }

    static String duration(long seconds) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
