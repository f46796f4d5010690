package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Batch;
import io.github.decrappify.train.Schedule;
import io.github.decrappify.train.StepEvent;
import io.github.decrappify.train.TrainLoop;
import java.util.Map;
import java.util.Random;

/** {@code encoder}: the feature encoder as a denoising autoencoder on HR patches (one-cycle schedule). */
final class EncoderPhase extends NoGanPhase.Stepped {
    /** Standard deviation of the noise the denoising encoder removes. */
    static final float NOISE = 0.05f;

    private final Schedule schedule;
    private float last = Float.NaN;

    EncoderPhase(NoGanTrainer run, NoGanTrainer.Phase plan, int index) {
        super(run, plan, index);
        schedule = new Schedule(run.cfg.encoderLr(), Math.max(1, run.cfg.encoderSteps() / 10), run.cfg.encoderSteps());
    }

    @Override
    String description() {
        return "training the feature encoder (denoising autoencoder on HR patches), " + run.cfg.encoderSteps() + " steps";
    }

    @Override
    public long budget() {
        return run.cfg.encoderSteps();
    }

    @Override
    public TrainLoop.Step step(long step, Batch b) {
        Random r = new Random(TrainLoop.stepSeed(run.cfg.seed() ^ 0x3C6EF372L, index, step));
        float[] noisy = b.target().clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += NOISE * (float) r.nextGaussian();
        }
        float lr = rate(schedule.at(step));
        int hr = b.height() * b.scale();
        float loss = run.graph.encoderStep(b.target(), noisy, b.n(), hr, hr, lr, ++run.state.encoderSteps);
        last = loss;
        return new TrainLoop.Step(StepEvent.ENCODER, loss, lr, Map.of(StepEvent.RECONSTRUCTION, (double) loss));
    }

    @Override
    void end(long lastStep) {
        run.state.phases.add(NoGanTrainer.summary(label(), NoGanTrainer.ordered("steps", lastStep, "reconstruction_loss",
                (double) last)));
    }
}
