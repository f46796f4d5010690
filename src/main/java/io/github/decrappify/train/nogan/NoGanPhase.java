package io.github.decrappify.train.nogan;

import io.github.decrappify.net.Params;
import io.github.decrappify.train.Batch;
import io.github.decrappify.train.TrainLoop;
import java.io.IOException;
import java.util.Map;

/**
 * One phase of the NoGAN recipe ({@link NoGanTrainer}). A phase owns its bookkeeping (critic accuracies,
 * the GAN's turn and inflection counters, ...): {@link #save}/{@link #load} move it in and out of the
 * checkpoint, {@link #load} of an empty map starts the phase afresh. Phases with optimiser steps extend
 * {@link Stepped} and run on {@link TrainLoop}.
 */
abstract class NoGanPhase {

    final NoGanTrainer run;
    final NoGanTrainer.Phase plan;
    /** Position in the plan: part of every batch seed. */
    final int index;

    NoGanPhase(NoGanTrainer run, NoGanTrainer.Phase plan, int index) {
        this.run = run;
        this.plan = plan;
        this.index = index;
    }

    public String label() {
        return plan.label();
    }

    /**
     * Runs the phase from after step {@code after} (0 when it starts) to its end, including its summary.
     *
     * @return false when a listener cancelled the run (a checkpoint was written)
     */
    abstract boolean run(long after) throws TrainLoop.Diverged, IOException;

    /** Writes this phase's bookkeeping (keys distinct from {@link RunState}'s). */
    void save(Map<String, Object> into) {}

    /** Reads what {@link #save} wrote; absent keys mean a fresh phase. */
    void load(Map<String, ?> from) {}

    /** Adds weights this phase keeps besides the networks (prefixed names) to a checkpoint. */
    void saveWeights(Params into) {}

    void loadWeights(Params all) {}

    /** A phase of optimiser steps on the shared loop: {@link #begin}, the steps, {@link #end}. */
    abstract static class Stepped extends NoGanPhase implements TrainLoop.Phase<Batch> {

        Stepped(NoGanTrainer run, NoGanTrainer.Phase plan, int index) {
            super(run, plan, index);
        }

        /** What the phase does, for {@link io.github.decrappify.train.TrainingListener#onPhase}. */
        abstract String description();

        /** Set-up before the steps; {@code after} is 0 unless resuming mid-phase. */
        void begin(long after) throws IOException {}

        /** After the last step (budget or goal): final validation, the phase summary. */
        abstract void end(long lastStep) throws TrainLoop.Diverged, IOException;

        @Override
        final boolean run(long after) throws TrainLoop.Diverged, IOException {
            run.announce(label(), description());
            begin(after);
            TrainLoop.Run r = run.loop.run(this, index, after);
            if (r.end() == TrainLoop.End.CANCELLED) {
                return false;
            }
            end(r.lastStep());
            return true;
        }

        @Override
        public int batchSize() {
            return run.cfg.batch();
        }

        @Override
        public TrainLoop.BatchSource<Batch> batches() {
            return run.data.batches();
        }

        /** The learning rate with the roll-backs' factor applied. */
        float rate(double lr) {
            return (float) (lr * run.state.lrFactor);
        }
    }
}
