package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loop's promises, on a phase without a network: batches, events, checkpoints, cancel, goal, divergence. */
class TrainLoopTest {

    /** A phase whose "batch" is the first draw of its rng and whose loss is read from a script. */
    static final class Scripted implements TrainLoop.Phase<Long> {
        final long budget;
        final List<Long> batches = new ArrayList<>();
        final List<Long> afterSteps = new ArrayList<>();
        long goalAt = -1;
        long nanAt = -1;

        Scripted(long budget) {
            this.budget = budget;
        }

        @Override
        public String label() {
            return "scripted";
        }

        @Override
        public long budget() {
            return budget;
        }

        @Override
        public int batchSize() {
            return 3;
        }

        @Override
        public TrainLoop.BatchSource<Long> batches() {
            return (n, rng) -> n * 1_000_000L + Math.floorMod(rng.nextLong(), 1_000_000L);
        }

        @Override
        public TrainLoop.Step step(long step, Long batch) {
            batches.add(batch);
            return new TrainLoop.Step(StepEvent.GENERATOR, step == nanAt ? Float.NaN : 1f / step, 1e-3f,
                    Map.of(StepEvent.L1, 0.5 / step));
        }

        @Override
        public boolean afterStep(StepEvent e) {
            afterSteps.add(e.step());
            return e.step() == goalAt;
        }
    }

    static final class Recorder implements TrainingListener {
        final List<StepEvent> steps = new ArrayList<>();
        long cancelAfter = Long.MAX_VALUE;

        @Override
        public void onStep(StepEvent e) {
            steps.add(e);
        }

        @Override
        public boolean cancelRequested() {
            return !steps.isEmpty() && steps.get(steps.size() - 1).step() >= cancelAfter;
        }
    }

    @Test
    void runsTheBudgetReportsEveryStepAndCheckpointsOnTheInterval() throws Exception {
        Scripted phase = new Scripted(10);
        Recorder rec = new Recorder();
        List<Long> checkpoints = new ArrayList<>();
        TrainLoop.Run run = new TrainLoop(7, 4, rec, (label, step) -> checkpoints.add(step)).run(phase, 0, 0);
        assertEquals(new TrainLoop.Run(TrainLoop.End.BUDGET, 10), run);
        assertEquals(List.of(4L, 8L), checkpoints);
        assertEquals(10, rec.steps.size());
        StepEvent third = rec.steps.get(2);
        assertEquals("scripted", third.phase());
        assertEquals(3, third.step());
        assertEquals(10, third.budget());
        assertEquals(1f / 3, third.loss());
        assertEquals(0.5 / 3, third.value(StepEvent.L1));
        assertTrue(Double.isNaN(third.value(StepEvent.CRITIC_ACCURACY)), "values the step did not report read as NaN");
        assertTrue(third.seconds() >= 0 && third.stepsPerSecond() > 0, third.toString());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), phase.afterSteps);
        assertTrue(phase.batches.stream().allMatch(b -> b / 1_000_000L == 3), "batches of the phase's size");
    }

    @Test
    void batchesDependOnlyOnSeedPhaseAndStepSoAResumeSeesTheSameOnes() throws Exception {
        Scripted whole = new Scripted(9);
        new TrainLoop(7, 100, new Recorder(), (l, s) -> {}).run(whole, 2, 0);
        Scripted resumed = new Scripted(9);
        new TrainLoop(7, 100, new Recorder(), (l, s) -> {}).run(resumed, 2, 5);
        assertEquals(whole.batches.subList(5, 9), resumed.batches);

        Scripted otherPhase = new Scripted(9);
        new TrainLoop(7, 100, new Recorder(), (l, s) -> {}).run(otherPhase, 3, 0);
        assertTrue(!otherPhase.batches.equals(whole.batches), "phase index is part of the seed");
        // Phase 0 keeps the seeds supervised runs had before the loop existed.
        assertEquals(legacySupervisedSeed(7, 12), TrainLoop.stepSeed(7, 0, 12));
    }

    private static long legacySupervisedSeed(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void cancelWritesACheckpointAfterTheStepAndStops() throws Exception {
        Scripted phase = new Scripted(10);
        Recorder rec = new Recorder();
        rec.cancelAfter = 6;
        List<Long> checkpoints = new ArrayList<>();
        TrainLoop.Run run = new TrainLoop(7, 4, rec, (label, step) -> checkpoints.add(step)).run(phase, 0, 0);
        assertEquals(new TrainLoop.Run(TrainLoop.End.CANCELLED, 6), run);
        assertEquals(List.of(4L, 6L), checkpoints);
        assertEquals(6, phase.batches.size());
    }

    @Test
    void aPhaseReachingItsGoalEndsEarly() throws Exception {
        Scripted phase = new Scripted(10);
        phase.goalAt = 3;
        TrainLoop.Run run = new TrainLoop(7, 4, new Recorder(), (l, s) -> {}).run(phase, 0, 0);
        assertEquals(new TrainLoop.Run(TrainLoop.End.GOAL, 3), run);
    }

    @Test
    void aNonFiniteLossDivergesBeforeListenersSeeIt() throws Exception {
        Scripted phase = new Scripted(10);
        phase.nanAt = 5;
        Recorder rec = new Recorder();
        TrainLoop.Diverged d = assertThrows(TrainLoop.Diverged.class,
                () -> new TrainLoop(7, 4, rec, (l, s) -> {}).run(phase, 0, 0));
        assertEquals("scripted step 5", d.where());
        assertEquals(5, d.step());
        assertTrue(Float.isNaN(d.value()));
        assertEquals(4, rec.steps.size());
        assertEquals(List.of(1L, 2L, 3L, 4L), phase.afterSteps);
    }

    @Test
    void listenersCombineInOrderAndAnyMayCancel() {
        List<String> seen = new ArrayList<>();
        TrainingListener a = new TrainingListener() {
            @Override
            public void onMessage(String m) {
                seen.add("a:" + m);
            }
        };
        TrainingListener b = new TrainingListener() {
            @Override
            public void onMessage(String m) {
                seen.add("b:" + m);
            }

            @Override
            public boolean cancelRequested() {
                return true;
            }
        };
        TrainingListener all = TrainingListener.of(List.of(a, b));
        all.onMessage("hi");
        assertEquals(List.of("a:hi", "b:hi"), seen);
        assertTrue(all.cancelRequested());
        assertTrue(!TrainingListener.of(List.of(a)).cancelRequested());
    }
}
