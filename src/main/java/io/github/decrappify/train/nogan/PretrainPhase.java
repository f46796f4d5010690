package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Batch;
import io.github.decrappify.train.Schedule;
import io.github.decrappify.train.StepEvent;
import io.github.decrappify.train.TrainLoop;
import java.util.Map;

/**
 * {@code pretrain}: the generator on pixel (+ feature) loss with a one-cycle schedule, validated every
 * {@code pretrainValidateEvery} steps and at the end; its result is the pre-GAN generator.
 */
final class PretrainPhase extends NoGanPhase.Stepped {

    private final Schedule schedule;
    private NoGanGraph.GenLoss last;

    PretrainPhase(NoGanTrainer run, NoGanTrainer.Phase plan, int index) {
        super(run, plan, index);
        schedule = new Schedule(run.cfg.pretrainLr(), run.cfg.pretrainWarmup(), run.cfg.pretrainSteps());
    }

    @Override
    String description() {
        NoGanConfig cfg = run.cfg;
        return "pretraining the generator on pixel" + (cfg.featureWeight() > 0 && cfg.featureNet() != FeatureNet.NONE
                ? " + feature (" + cfg.featureNet().cliName() + ")" : "") + " loss, " + cfg.pretrainSteps() + " steps";
    }

    @Override
    public long budget() {
        return run.cfg.pretrainSteps();
    }

    @Override
    public TrainLoop.Step step(long step, Batch b) {
        float lr = rate(schedule.at(step));
        NoGanGraph.GenLoss l = run.graph.pretrainStep(b.input(), b.target(), b.n(), b.height(), b.width(), lr,
                ++run.state.generatorSteps);
        last = l;
        return new TrainLoop.Step(StepEvent.GENERATOR, l.total(), lr, Map.of(StepEvent.L1, (double) l.l1(),
                StepEvent.SSIM, (double) l.ssim(), StepEvent.FEATURE, (double) l.feature()));
    }

    @Override
    public boolean afterStep(StepEvent e) throws TrainLoop.Diverged {
        if (e.step() % run.cfg.pretrainValidateEvery() == 0 && e.step() < run.cfg.pretrainSteps()) {
            run.validate(label(), e.step());
        }
        return false;
    }

    @Override
    void end(long lastStep) throws TrainLoop.Diverged {
        RunState state = run.state;
        state.preGan = run.validate(label(), run.cfg.pretrainSteps());
        run.preGan = run.graph.generator();
        run.best = run.preGan;
        state.best = state.preGan;
        state.bestFrom = "pretrained generator";
        state.phases.add(NoGanTrainer.summary(label(), NoGanTrainer.ordered("steps", lastStep,
                "loss", last == null ? 0.0 : (double) last.total(), "l1", last == null ? 0.0 : (double) last.l1(),
                "validation", state.preGan.toMap())));
    }
}
