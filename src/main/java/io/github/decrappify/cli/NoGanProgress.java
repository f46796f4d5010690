package io.github.decrappify.cli;

import io.github.decrappify.train.Metrics;
import io.github.decrappify.train.TrainingListener;
import io.github.decrappify.train.StepEvent;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Plain progress lines of a fine-tuning run: phases, one step line per interval, validations (against the
 * best blur, as {@link ProgressPrinter} reports {@code train}'s), messages.
 */
final class NoGanProgress implements TrainingListener {
    private final PrintWriter out;
    private final int every;
    private final long start = System.nanoTime();
    /** The best blur of the validation images, as {@code train} reports it; one bar for all phases. */
    private Metrics baseline;

    NoGanProgress(PrintWriter out, int every) {
        this.out = out;
        this.every = Math.max(1, every);
    }

    @Override
    public void onPhase(String phase, String description) {
        out.printf(Locale.ROOT, "== %s: %s%n", phase, description);
        out.flush();
    }

    @Override
    public void onStep(StepEvent e) {
        if (e.step() % every == 0 || e.step() == e.budget()) {
            String acc = Double.isNaN(e.criticAccuracy()) ? "" : String.format(Locale.ROOT, "  accuracy %.2f", e.criticAccuracy());
            out.printf(Locale.ROOT, "%s step %d/%d  %s loss %.5f%s  lr %.2e  %.3f s/step  elapsed %s%n", e.phase(), e.step(),
                    e.budget(), e.kind(), e.loss(), acc, e.learningRate(), e.seconds(), elapsed());
            out.flush();
        }
    }

    @Override
    public void onValidation(String phase, long step, Metrics m, int images) {
        out.printf(Locale.ROOT, "%s validation at step %d: %s (%d images%s)%n", phase, step, m, images,
                ProgressPrinter.versus(m.psnr(), baseline));
        out.flush();
    }

    @Override
    public void onBaseline(String phase, Metrics baseline, int images) {
        this.baseline = baseline;
        out.println(ProgressPrinter.baselineLine(baseline, images));
        out.flush();
    }

    @Override
    public void onMessage(String message) {
        out.println(message);
        out.flush();
    }

    private String elapsed() {
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
