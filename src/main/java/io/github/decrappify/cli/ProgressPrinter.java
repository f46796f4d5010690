package io.github.decrappify.cli;

import io.github.decrappify.train.Metrics;
import io.github.decrappify.train.PixelLoss;
import io.github.decrappify.train.StepEvent;
import io.github.decrappify.train.Trainer;
import io.github.decrappify.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Plain progress lines for terminals and job schedulers: one line per interval, no carriage returns.
 * Written to the log (stderr), flushed line by line so a scheduler's log file follows the run.
 */
final class ProgressPrinter implements TrainingListener {
    private final PrintWriter out;
    private final int every;
    /** Validations of a phase with a baseline say how far above (or below) the best blur they are. */
    private final Map<String, Metrics> baselines = new HashMap<>();

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
        Metrics base = baselines.get(phase);
        out.printf(Locale.ROOT, "validation at step %d: PSNR %.3f dB  SSIM %.4f  (%d images%s)%n", step, r.psnr(), r.ssim(),
                images, base == null ? "" : Trainer.versus(r.psnr(), base));
        out.flush();
    }

    @Override
    public void onBaseline(String phase, Metrics baseline, int images) {
        baselines.put(phase, baseline);
        out.printf(Locale.ROOT, "best Gaussian-smoothed bicubic on the %d validation images: PSNR %.3f dB  SSIM %.4f"
                + " (a model below it is not worth using)%n", images, baseline.psnr(), baseline.ssim());
        out.flush();
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
