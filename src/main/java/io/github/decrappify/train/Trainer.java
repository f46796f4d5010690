package io.github.decrappify.train;

import io.github.decrappify.net.Params;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The generator training loop: sample a batch, one Adam step, and let listeners report; validate
 * and checkpoint at fixed intervals. Batches depend only on (seed, step), so a run resumed from its
 * last checkpoint continues exactly as if it had not been interrupted.
 *
 * <pre>{@code
 * Trainer.Result r = new Trainer(cfg, sampler, validation, workDir).run(null, true, List.of(progress));
 * SavedModelExport.export(cfg.net(), r.weights(), dir);
 * }</pre>
 */
public final class Trainer {

    private final TrainConfig cfg;
    private final PatchSampler sampler;
    private final Validation validation;
    private final Path workDir;
    private boolean allowGpu = true;

    public Trainer(TrainConfig cfg, PatchSampler sampler, Validation validation, Path workDir) {
        this.cfg = cfg;
        this.sampler = sampler;
        this.validation = validation;
        this.workDir = workDir;
    }

    public Trainer optAllowGpu(boolean allow) {
        this.allowGpu = allow;
        return this;
    }

    /**
     * Outcome of a run. {@code history} holds CSV lines
     * {@code step,loss,l1,ssim,lr,val_psnr,val_ssim} (validation columns empty between validations).
     */
    public record Result(Params weights, long step, boolean completed, Validation.Result lastValidation,
            Validation.Result firstValidation, List<String> history) {}

    public static final String HISTORY_HEADER = "step,loss,l1,ssim,lr,val_psnr,val_ssim";

    /**
     * @param start  initial weights (fine-tuning) or {@code null} for a fresh initialisation
     * @param resume continue from {@code workDir}'s checkpoint when there is one
     */
    public Result run(Params start, boolean resume, List<TrainingListener> listeners)
            throws IOException, TrainingException {
        Checkpoint ck = resume ? Checkpoint.read(workDir) : null;
        Map<String, String> meta = meta();
        if (ck != null && !ck.meta().equals(meta)) {
            throw new TrainingException("the checkpoint in " + workDir + " was made with other settings ("
                    + ck.meta() + "); resume with the same options or use a new work folder");
        }
        long first = ck == null ? 1 : ck.step() + 1;
        List<String> history = ck == null ? new ArrayList<>() : new ArrayList<>(ck.history());
        if (ck != null) {
            listeners.forEach(l -> l.onMessage("Resuming from step " + ck.step() + " (" + workDir.resolve(Checkpoint.FILE) + ")"));
        }
        Schedule schedule = cfg.schedule();
        Validation.Result firstVal = null;
        Validation.Result lastVal = null;
        boolean completed = true;
        long step = first - 1;
        try (TrainGraph graph = new TrainGraph(cfg.net(), ck == null ? start : ck.state(), cfg.seed(), cfg.ssimWeight(),
                cfg.threads(), allowGpu)) {
            if (ck == null && !validation.isEmpty()) {
                firstVal = validation.run(graph);
                history.add(String.format(Locale.ROOT, "0,,,,,%.4f,%.5f", firstVal.psnr(), firstVal.ssim()));
                for (TrainingListener l : listeners) {
                    l.onValidation(0, firstVal);
                }
            }
            long t0 = System.nanoTime();
            for (step = first; step <= cfg.steps(); step++) {
                Batch batch = sampler.sample(cfg.batch(), new Random(stepSeed(cfg.seed(), step)));
                float lr = schedule.at(step);
                TrainGraph.StepLoss loss = graph.step(batch, lr, step);
                if (!Float.isFinite(loss.loss())) {
                    throw new TrainingException("loss became " + loss.loss() + " at step " + step
                            + "; lower the learning rate or lengthen the warm-up, then resume");
                }
                double rate = (step - first + 1) / ((System.nanoTime() - t0) / 1e9);
                for (TrainingListener l : listeners) {
                    l.onStep(step, cfg.steps(), loss, lr, rate);
                }
                String val = ",";
                boolean last = step == cfg.steps();
                if (!validation.isEmpty() && (last || cfg.validateEvery() > 0 && step % cfg.validateEvery() == 0)) {
                    lastVal = validation.run(graph);
                    val = String.format(Locale.ROOT, "%.4f,%.5f", lastVal.psnr(), lastVal.ssim());
                    for (TrainingListener l : listeners) {
                        l.onValidation(step, lastVal);
                    }
                }
                history.add(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.5f,%.3g,%s", step, loss.loss(), loss.l1(),
                        loss.ssim(), lr, val));
                boolean cancel = listeners.stream().anyMatch(TrainingListener::cancelRequested);
                if (last || cancel || step % cfg.checkpointEvery() == 0) {
                    new Checkpoint(step, graph.snapshot(), meta, history).write(workDir);
                    for (TrainingListener l : listeners) {
                        l.onCheckpoint(step, workDir);
                    }
                }
                if (cancel) {
                    completed = false;
                    break;
                }
            }
            if (step > cfg.steps()) {
                step = cfg.steps();
            }
            if (lastVal == null && !validation.isEmpty()) {
                lastVal = validation.run(graph);
            }
            return new Result(TrainGraph.weightsOnly(graph.snapshot()), step, completed, lastVal,
                    firstVal != null ? firstVal : firstValidation(history), history);
        }
    }

    private Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        cfg.describe().forEach((k, v) -> m.put(k, String.valueOf(v)));
        return m;
    }

    private static Validation.Result firstValidation(List<String> history) {
        for (String h : history) {
            if (h.startsWith("0,")) {
                String[] f = h.split(",", -1);
                return new Validation.Result(Double.parseDouble(f[5]), Double.parseDouble(f[6]), 0);
            }
        }
        return null;
    }

    /** Seed of step {@code step}'s batch: independent of how the run was interrupted. */
    static long stepSeed(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
