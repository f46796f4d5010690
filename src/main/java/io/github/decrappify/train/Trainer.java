package io.github.decrappify.train;

import io.github.decrappify.net.Params;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Supervised generator training: a one-phase plan on {@link TrainLoop}. Each step samples a batch,
 * takes one Adam step on L1 (+ SSIM) and lets listeners report; validation runs at fixed intervals
 * and at the end, checkpoints at the loop's interval, on cancel and at the end. Batches depend only on
 * (seed, step), so a run resumed from its last checkpoint continues exactly as if it had not been
 * interrupted. A non-finite loss fails the run with advice (no roll-back: the user resumes after
 * lowering the rate). The result's weights are those of the validation with the best PSNR (carried in
 * the checkpoint), and every validation is reported against the best blur of the same images
 * ({@link TrainingListener#onBaseline}).
 *
 * <pre>{@code
 * Trainer.Result r = new Trainer(cfg, sampler, validation, workDir).run(null, true, List.of(progress));
 * SavedModelExport.export(cfg.net(), r.weights(), dir);
 * }</pre>
 */
public final class Trainer {

    /** The phase label of supervised training in events. */
    public static final String PHASE = "train";

    private final TrainConfig cfg;
    private final TrainLoop.BatchSource<Batch> sampler;
    private final Validation validation;
    private BlindSpotMasker blindSpot;
    private final Path workDir;
    private boolean allowGpu = true;
    private boolean bf16;

    public Trainer(TrainConfig cfg, PatchSampler sampler, Validation validation, Path workDir) {
        this(cfg, sampler::sample, validation, workDir);
    }

    /** @param batches any batch source, e.g. {@link BlindSpotBatches#sample} with {@link #optBlindSpot} */
    public Trainer(TrainConfig cfg, TrainLoop.BatchSource<Batch> batches, Validation validation, Path workDir) {
        this.cfg = cfg;
        this.sampler = batches;
        this.validation = validation;
        this.workDir = workDir;
    }

    /**
     * Blind-spot (Noise2Void) training: the loss is the L1 over the pixels each batch's mask marks
     * ({@link TrainGraph#blindSpot}); the batches must come from {@link BlindSpotBatches} with this
     * masker, whose settings join the checkpoint's settings so a resume cannot change them.
     */
    public Trainer optBlindSpot(BlindSpotMasker masker) {
        this.blindSpot = masker;
        return this;
    }

    public Trainer optAllowGpu(boolean allow) {
        this.allowGpu = allow;
        return this;
    }

    /**
     * Mixed-precision bf16 on the CPU (fp32 master weights, optimiser and loss; {@link TrainGraph}); only
     * worth it where the CPU computes bf16 natively ({@link io.github.decrappify.runtime.Precision#cpuHasNativeBf16}).
     */
    public Trainer optBf16(boolean on) {
        this.bf16 = on;
        return this;
    }

    /**
     * Outcome of a run. {@code weights} are those of {@code weightsStep}: the validation with the best PSNR
     * after step 0 (kept across resumes in the checkpoint), or the last step when no such validation ran;
     * {@code bestValidation} is that validation (null then). {@code baseline} is the best Gaussian-smoothed
     * bicubic on the validation set ({@link Validation#bestBlur}). {@code history} holds CSV lines
     * {@code step,loss,l1,ssim,lr,val_psnr,val_ssim} (validation columns empty between validations).
     * Validation results have no FRC (NaN).
     */
    public record Result(Params weights, long step, boolean completed, Metrics lastValidation,
            Metrics firstValidation, List<String> history, long weightsStep, Metrics bestValidation, Metrics baseline) {}

    public static final String HISTORY_HEADER = "step,loss,l1,ssim,lr,val_psnr,val_ssim";

    /** {@link #HISTORY_HEADER} with the third column named for the run's pixel loss ({@code mse} for L2). */
    public static String historyHeader(PixelLoss loss) {
        return HISTORY_HEADER.replace(",l1,", "," + loss.column() + ",");
    }

    /**
     * @param start  initial weights (fine-tuning) or {@code null} for a fresh initialisation
     * @param resume continue from {@code workDir}'s checkpoint when there is one
     */
    public Result run(Params start, boolean resume, List<TrainingListener> listeners)
            throws IOException, TrainingException {
        TrainingListener events = TrainingListener.of(listeners);
        Checkpoint ck = resume ? Checkpoint.read(workDir) : null;
        Map<String, String> meta = meta();
        if (ck != null && !ck.meta().equals(meta)) {
            throw new TrainingException("the checkpoint in " + workDir + " was made with other settings ("
                    + ck.meta() + "); resume with the same options or use a new work folder");
        }
        long done = ck == null ? 0 : ck.step();
        List<String> history = ck == null ? new ArrayList<>() : new ArrayList<>(ck.history());
        if (ck != null) {
            events.onMessage("Resuming from step " + ck.step() + " (" + workDir.resolve(Checkpoint.FILE) + ")");
        }
        Params init = ck == null ? start : ck.state();
        try (TrainGraph graph = blindSpot != null
                ? TrainGraph.blindSpot(cfg.net(), init, cfg.seed(), cfg.threads(), allowGpu, bf16)
                : new TrainGraph(cfg.net(), init, cfg.seed(), cfg.pixelLoss(), cfg.ssimWeight(), cfg.threads(), allowGpu,
                        bf16)) {
            if (bf16) {
                events.onMessage("Training in mixed precision: bf16 convolutions, fp32 weights, optimiser and loss");
            }
            Metrics baseline = null;
            if (!validation.isEmpty()) {
                baseline = validation.bestBlur(); // fixed images: the same bar for every validation, resumed or not
                events.onBaseline(PHASE, baseline, validation.size());
            }
            Metrics firstVal = null;
            if (ck == null && !validation.isEmpty()) {
                firstVal = validation.run(graph);
                history.add(String.format(Locale.ROOT, "0,,,,,%.4f,%.5f", firstVal.psnr(), firstVal.ssim()));
                events.onValidation(PHASE, 0, firstVal, validation.size());
            }
            Supervised phase = new Supervised(graph, history, events, ck == null ? null : ck.best());
            TrainLoop.Checkpointer checkpointer = (label, step) -> {
                new Checkpoint(step, graph.snapshot(), meta, history, phase.best).write(workDir);
                events.onCheckpoint(label, step, workDir);
            };
            TrainLoop.Run run;
            try {
                run = new TrainLoop(cfg.seed(), cfg.checkpointEvery(), events, checkpointer).run(phase, 0, done);
            } catch (TrainLoop.Diverged d) {
                throw new TrainingException("loss became " + d.value() + " at step " + d.step()
                        + "; lower the learning rate or lengthen the warm-up, then resume");
            }
            // The last step is always checkpointed (the loop already did when it fell on the interval).
            if (run.end() == TrainLoop.End.BUDGET && run.lastStep() > done && run.lastStep() % cfg.checkpointEvery() != 0) {
                checkpointer.write(PHASE, run.lastStep());
            }
            Metrics lastVal = phase.lastValidation;
            if (lastVal == null && !validation.isEmpty()) {
                lastVal = validation.run(graph);
            }
            Checkpoint.Best best = phase.best;
            if (best != null) {
                events.onMessage(String.format(Locale.ROOT, "best validation at step %d of %d: PSNR %.3f dB  SSIM %.4f%s;"
                        + " the result is that step's weights", best.step(), run.lastStep(), best.psnr(), best.ssim(),
                        baseline == null ? "" : versus(best.psnr(), baseline)));
            }
            return new Result(best != null ? best.weights() : TrainGraph.weightsOnly(graph.snapshot()), run.lastStep(),
                    run.end() != TrainLoop.End.CANCELLED, lastVal, firstVal != null ? firstVal : firstValidation(history),
                    history, best != null ? best.step() : run.lastStep(),
                    best == null ? null : new Metrics(best.psnr(), best.ssim(), Double.NaN), baseline);
        }
    }

    /** The one phase: an Adam step per batch; validation and the history line after the listeners saw the step. */
    private final class Supervised implements TrainLoop.Phase<Batch> {
        private final TrainGraph graph;
        private final List<String> history;
        private final TrainingListener events;
        private final Schedule schedule = cfg.schedule();
        private Metrics lastValidation;
        /** Best validation after step 0 (a fresh network's step-0 score is no candidate); checkpointed. */
        private Checkpoint.Best best;

        Supervised(TrainGraph graph, List<String> history, TrainingListener events, Checkpoint.Best resumedBest) {
            this.graph = graph;
            this.history = history;
            this.events = events;
            this.best = resumedBest;
        }

        @Override
        public String label() {
            return PHASE;
        }

        @Override
        public long budget() {
            return cfg.steps();
        }

        @Override
        public int batchSize() {
            return cfg.batch();
        }

        @Override
        public TrainLoop.BatchSource<Batch> batches() {
            return sampler;
        }

        @Override
        public TrainLoop.Step step(long step, Batch batch) {
            float lr = schedule.at(step);
            TrainGraph.StepLoss loss = graph.step(batch, lr, step);
            return new TrainLoop.Step(StepEvent.GENERATOR, loss.loss(), lr,
                    Map.of(cfg.pixelLoss().column(), (double) loss.l1(), StepEvent.SSIM, (double) loss.ssim()));
        }

        @Override
        public boolean afterStep(StepEvent e) {
            String val = ",";
            long step = e.step();
            if (!validation.isEmpty() && (step == cfg.steps() || cfg.validateEvery() > 0 && step % cfg.validateEvery() == 0)) {
                lastValidation = validation.run(graph);
                val = String.format(Locale.ROOT, "%.4f,%.5f", lastValidation.psnr(), lastValidation.ssim());
                events.onValidation(PHASE, step, lastValidation, validation.size());
                if (Double.isFinite(lastValidation.psnr()) && (best == null || lastValidation.psnr() > best.psnr())) {
                    best = new Checkpoint.Best(step, lastValidation.psnr(), lastValidation.ssim(),
                            TrainGraph.weightsOnly(graph.snapshot()));
                }
            }
            history.add(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.5f,%.3g,%s", step, e.loss(), e.value(cfg.pixelLoss().column()),
                    e.value(StepEvent.SSIM), e.learningRate(), val));
            return false;
        }
    }

    /** {@code "; best blur 16.60 dB: +0.22 dB"}: how far a validation PSNR is above the baseline. */
    public static String versus(double psnr, Metrics baseline) {
        return String.format(Locale.ROOT, "; best blur %.2f dB: %+.2f dB", baseline.psnr(), psnr - baseline.psnr());
    }

    private Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        cfg.describe().forEach((k, v) -> m.put(k, String.valueOf(v)));
        if (blindSpot != null) {
            blindSpot.describe().forEach((k, v) -> m.put(k, String.valueOf(v)));
        }
        return m;
    }

    private static Metrics firstValidation(List<String> history) {
        for (String h : history) {
            if (h.startsWith("0,")) {
                String[] f = h.split(",", -1);
                return new Metrics(Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.NaN);
            }
        }
        return null;
    }
}
