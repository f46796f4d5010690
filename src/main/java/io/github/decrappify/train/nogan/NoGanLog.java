package io.github.decrappify.train.nogan;

import io.github.decrappify.image.AtomicFiles;
import io.github.decrappify.train.Metrics;
import io.github.decrappify.train.StepEvent;
import io.github.decrappify.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CSV log of a NoGAN run ({@link NoGanTrainer#HISTORY_HEADER}), as a listener: one line per step
 * and per validation, kept in memory as the checkpoint's history and appended to {@code log.csv}. A
 * roll-back or resume {@linkplain #reset resets} it to the checkpoint's history.
 */
final class NoGanLog implements TrainingListener {

    private final Path file;
    private List<String> lines = new ArrayList<>();

    NoGanLog(Path file) {
        this.file = file;
    }

    /** The lines so far (live: the checkpoint stores them). */
    List<String> lines() {
        return lines;
    }

    /** Replaces the history (a checkpoint's) and rewrites the file. */
    void reset(List<String> history) throws IOException {
        lines = new ArrayList<>(history);
        StringBuilder sb = new StringBuilder(NoGanTrainer.HISTORY_HEADER).append('\n');
        lines.forEach(h -> sb.append(h).append('\n'));
        AtomicFiles.writeString(file, sb.toString());
    }

    /** The line of a generate phase (no optimiser step). */
    void generated(String phase) {
        add(csv(phase, 0, "generate", Float.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Float.NaN, 0) + ",,,");
    }

    @Override
    public void onStep(StepEvent e) {
        add(csv(e.phase(), e.step(), e.kind(), e.loss(), e.value(StepEvent.L1), e.value(StepEvent.SSIM),
                e.value(StepEvent.FEATURE), e.value(StepEvent.ADVERSARIAL), e.value(StepEvent.CRITIC_LOSS), e.criticAccuracy(),
                e.value(StepEvent.RECONSTRUCTION), e.learningRate(), e.seconds()) + ",,,");
    }

    @Override
    public void onValidation(String phase, long step, Metrics m, int images) {
        add(csv(phase, step, "validation", Float.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Float.NaN, 0) + String.format(Locale.ROOT, ",%.4f,%.5f,%.4f", m.psnr(), m.ssim(), m.frc()));
    }

    private void add(String line) {
        lines.add(line);
        try {
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The file is a convenience copy of the checkpoint's history; training goes on without it.
        }
    }

    // Values arrive as floats widened to double: "%.6g" prints them as it printed the floats.
    private static String csv(String phase, long step, String kind, float loss, double l1, double ssim, double feature,
            double adv, double critic, double acc, double rec, float lr, double sec) {
        return String.join(",", phase, String.valueOf(step), kind, num(loss), num(l1), num(ssim), num(feature), num(adv),
                num(critic), Double.isNaN(acc) ? "" : String.format(Locale.ROOT, "%.4f", acc), num(rec),
                Float.isNaN(lr) ? "" : String.format(Locale.ROOT, "%.3g", lr), String.format(Locale.ROOT, "%.4f", sec));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
