package io.github.decrappify.train;

import java.io.IOException;
import java.util.Map;
import java.util.Random;

/**
 * The one training loop: for each step of a {@link Phase}, draw a batch from the phase's
 * {@link BatchSource} with a seed that depends only on (run seed, phase index, step), run the phase's
 * step function, reject a non-finite loss ({@link Diverged}), report the step to the listeners, let
 * the phase validate or stop early, poll cancellation and write a checkpoint every
 * {@code checkpointEvery} steps and on cancel. Because batches depend only on their step, a run resumed
 * from a checkpoint written after step {@code k} ({@code run(phase, index, k)}) sees exactly the batches
 * an uninterrupted run would have seen.
 *
 * <p>What the loop does not decide is the caller's: what a checkpoint holds ({@link Checkpointer}),
 * whether a divergence fails the run (supervised {@link Trainer}) or rolls back to the last checkpoint
 * with a lower learning rate (NoGAN), and which phases run in which order. Supervised training is a
 * one-phase plan; NoGAN runs its phases (encoder, generate, critic, pretrain, GAN) one after another
 * on the same loop, each phase owning its own state.
 *
 * <h2>Adding a kind of training</h2>
 * A new batch or loss is a new {@link Phase}, nothing else: e.g. self-supervised blind-spot training
 * is a {@code BatchSource<MaskedBatch>} (noisy patch, its masked copy and the mask) and a phase whose
 * {@link Phase#step} runs one optimiser step of a graph whose L1 counts only masked pixels and returns
 * {@code new Step(StepEvent.GENERATOR, loss, lr, Map.of())}. Progress lines, Fiji plots, cancellation,
 * checkpoints and divergence handling then come from the loop and its listeners unchanged.
 *
 * <pre>{@code
 * TrainLoop loop = new TrainLoop(seed, checkpointEvery, TrainingListener.of(listeners),
 *         (phase, step) -> new Checkpoint(step, graph.snapshot(), meta, history).write(work));
 * TrainLoop.Run run = loop.run(phase, 0, resumedStep);   // throws Diverged on a NaN loss
 * }</pre>
 */
public final class TrainLoop {

    /** Draws a batch of {@code n} examples; {@link PatchSampler#sample} is one. */
    @FunctionalInterface
    public interface BatchSource<B> {
        B sample(int n, Random rng);
    }

    /**
     * What one step did, as its phase reports it; the loop adds the phase label, step, budget and timing
     * to make the {@link StepEvent}. A non-finite {@code loss} makes the loop throw {@link Diverged}.
     *
     * @param values further named values for the listeners (names in {@link StepEvent})
     */
    public record Step(String kind, float loss, float learningRate, Map<String, Double> values) {}

    /**
     * A stretch of training with one step function: a supervised run, a NoGAN phase, a self-supervised run.
     *
     * @param <B> the batch type its {@link #batches()} draws and its {@link #step} consumes
     */
    public interface Phase<B> {
        /** The label in logs and events, e.g. {@code train}, {@code pretrain}, {@code gan-1}. */
        String label();

        /** Steps in this phase (its last step number). */
        long budget();

        int batchSize();

        BatchSource<B> batches();

        /** One optimiser step on {@code batch}; {@code step} is 1-based within the phase. */
        Step step(long step, B batch) throws IOException;

        /**
         * After the listeners saw the step: validate, keep bookkeeping, decide to stop early. Runs before
         * cancellation is polled and the interval checkpoint is written, so both include its effects.
         *
         * @return true when the phase has reached its goal and should end before its budget
         */
        default boolean afterStep(StepEvent event) throws IOException, Diverged {
            return false;
        }
    }

    /** Writes the caller's checkpoint (the loop decides when, the caller what). */
    @FunctionalInterface
    public interface Checkpointer {
        void write(String phase, long step) throws IOException;
    }

    /** Why {@link #run} returned. */
    public enum End {
        /** The phase ran to its budget. */
        BUDGET,
        /** {@link Phase#afterStep} reported the phase's goal reached. */
        GOAL,
        /** A listener asked to stop; a checkpoint was written after the last step. */
        CANCELLED
    }

    /** How a phase's stretch of steps ended and its last step (the resumed step when none ran). */
    public record Run(End end, long lastStep) {}

    /** A non-finite loss or validation; {@code where} reads e.g. {@code pretrain step 12}. */
    public static final class Diverged extends Exception {
        private static final long serialVersionUID = 1L;
        private final String where;
        private final long step;
        private final float value;

        public Diverged(String where, long step, float value) {
            super(where + ": " + value);
            this.where = where;
            this.step = step;
            this.value = value;
        }

        public String where() {
            return where;
        }

        public long step() {
            return step;
        }

        public float value() {
            return value;
        }
    }

    private final long seed;
    private final long checkpointEvery;
    private final TrainingListener listener;
    private final Checkpointer checkpointer;

    /**
     * @param seed            the run's seed; batches are drawn with {@link #stepSeed(long, int, long)}
     * @param checkpointEvery write a checkpoint after every this many steps of a phase
     * @param listener        all the run's listeners ({@link TrainingListener#of})
     */
    public TrainLoop(long seed, long checkpointEvery, TrainingListener listener, Checkpointer checkpointer) {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be at least 1: " + checkpointEvery);
        }
        this.seed = seed;
        this.checkpointEvery = checkpointEvery;
        this.listener = listener;
        this.checkpointer = checkpointer;
    }

    /**
     * Runs steps {@code after + 1 .. budget} of {@code phase}.
     *
     * @param index the phase's position in its plan (part of every batch seed)
     * @param after the last step already done (0 for a fresh phase, the checkpoint's step when resuming)
     */
    public <B> Run run(Phase<B> phase, int index, long after) throws Diverged, IOException {
        long t0 = System.nanoTime();
        long last = after;
        for (long step = after + 1; step <= phase.budget(); step++) {
            B batch = phase.batches().sample(phase.batchSize(), new Random(stepSeed(seed, index, step)));
            long s0 = System.nanoTime();
            Step s = phase.step(step, batch);
            double seconds = (System.nanoTime() - s0) / 1e9;
            if (!Float.isFinite(s.loss())) {
                throw new Diverged(phase.label() + " step " + step, step, s.loss());
            }
            double rate = (step - after) / ((System.nanoTime() - t0) / 1e9);
            StepEvent e = new StepEvent(phase.label(), step, phase.budget(), s.kind(), s.loss(), s.learningRate(),
                    s.values(), seconds, rate);
            listener.onStep(e);
            boolean goal = phase.afterStep(e);
            last = step;
            boolean cancel = listener.cancelRequested();
            if (cancel || step % checkpointEvery == 0) {
                checkpointer.write(phase.label(), step);
            }
            if (cancel) {
                return new Run(End.CANCELLED, step);
            }
            if (goal) {
                return new Run(End.GOAL, step);
            }
        }
        return new Run(End.BUDGET, last);
    }

    /**
     * Seed of the batch of {@code step} in phase number {@code phase}: independent of how the run was
     * interrupted. Phase 0 gives the seeds supervised runs have always used, so their checkpoints resume
     * onto the same batches.
     */
    public static long stepSeed(long seed, int phase, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + phase * 0xC2B2AE3D27D4EB4FL + step;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
