package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Batch;
import io.github.decrappify.train.Metrics;
import io.github.decrappify.train.PatchSampler;
import io.github.decrappify.train.StepEvent;
import io.github.decrappify.train.TrainLoop;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code critic-c}: the critic as a binary classifier of real HR against the generated images of this
 * cycle, until its running accuracy over the last {@link #WINDOW} batches reaches the target or the
 * step budget is spent.
 */
final class CriticPhase extends NoGanPhase.Stepped {
    static final int WINDOW = 10;

    private int warmup;
    private long minSteps;
    private PatchSampler sampler;
    // Checkpointed bookkeeping.
    private List<Double> accuracies;
    private String stop;

    CriticPhase(NoGanTrainer run, NoGanTrainer.Phase plan, int index) {
        super(run, plan, index);
        load(Map.of());
    }

    @Override
    String description() {
        return String.format(Locale.ROOT, "pretraining the critic (real HR vs generated) to %.0f%% accuracy, at most"
                + " %d steps", 100 * run.cfg.criticAccuracy(), run.cfg.criticSteps());
    }

    @Override
    void begin(long after) throws IOException {
        warmup = Math.max(1, Math.min(20, run.cfg.criticSteps() / 10));
        minSteps = Math.max(1, Math.min(WINDOW, run.cfg.criticSteps() / 2));
        sampler = new PatchSampler(run.generated(plan.cycle()), null, 1, run.cfg.patchHr(), 1);
    }

    @Override
    public long budget() {
        return run.cfg.criticSteps();
    }

    /** Real HR against this cycle's generated images, not the training pairs. */
    @Override
    public TrainLoop.BatchSource<Batch> batches() {
        return sampler::sample;
    }

    @Override
    public TrainLoop.Step step(long step, Batch b) {
        float lr = rate(run.cfg.criticLr() * Math.min(1.0, step / (double) warmup));
        NoGanGraph.CriticLoss l = run.graph.criticStep(b.target(), b.input(), b.n(), b.height(), b.width(), lr,
                ++run.state.criticSteps, NoGanGraph.PRETRAIN_BETAS);
        return new TrainLoop.Step(StepEvent.CRITIC, l.finite() ? l.loss() : Float.NaN, lr, Map.of(
                StepEvent.CRITIC_LOSS, (double) l.loss(), StepEvent.CRITIC_ACCURACY, l.accuracy(run.cfg.relativistic()),
                StepEvent.RECONSTRUCTION, (double) l.reconstruction()));
    }

    @Override
    public boolean afterStep(StepEvent e) {
        accuracies.add(e.criticAccuracy());
        if (accuracies.size() > WINDOW) {
            accuracies.remove(0);
        }
        if (e.step() >= minSteps && runningAccuracy() >= run.cfg.criticAccuracy()) {
            stop = String.format(Locale.ROOT, "target accuracy %.2f reached", run.cfg.criticAccuracy());
            return true;
        }
        return false;
    }

    @Override
    void end(long lastStep) {
        if (stop == null) {
            stop = "step budget reached";
        }
        run.say(String.format(Locale.ROOT, "Critic after %d steps: accuracy %.3f (last %d batches); %s", lastStep,
                runningAccuracy(), accuracies.size(), stop));
        run.state.phases.add(NoGanTrainer.summary(label(), NoGanTrainer.ordered("steps", lastStep, "accuracy",
                Metrics.round(runningAccuracy(), 4), "stop", stop)));
    }

    private double runningAccuracy() {
        return accuracies.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    @Override
    void save(Map<String, Object> into) {
        into.put("accuracies", accuracies);
        into.put("phase_stop", stop);
    }

    @Override
    void load(Map<String, ?> from) {
        accuracies = RunState.doubles(from, "accuracies");
        stop = RunState.stringValue(from, "phase_stop");
    }
}
