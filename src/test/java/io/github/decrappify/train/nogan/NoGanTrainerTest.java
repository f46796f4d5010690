package io.github.decrappify.train.nogan;

import io.github.decrappify.train.TrainingListener;
import io.github.decrappify.train.StepEvent;
import io.github.decrappify.train.Metrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import io.github.decrappify.train.Batch;
import io.github.decrappify.train.Checkpoint;
import io.github.decrappify.train.TrainingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every phase of the recipe on the real EM section, with what each phase promises. */
class NoGanTrainerTest {

    @BeforeAll
    static void natives() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
    }

    static final class Recorder implements TrainingListener {
        final List<String> messages = new ArrayList<>();
        final List<String> phases = new ArrayList<>();
        final List<Metrics> validations = new ArrayList<>();
        int steps;

        @Override
        public void onPhase(String phase, String description) {
            phases.add(phase);
        }

        @Override
        public void onStep(StepEvent e) {
            steps++;
            assertTrue(Float.isFinite(e.loss()), "finite loss at " + e);
        }

        @Override
        public void onValidation(String phase, long step, Metrics m, int images) {
            validations.add(m);
        }

        @Override
        public void onMessage(String message) {
            messages.add(message);
        }
    }

    static double[] column(List<String> history, String phase, String kind, int col) {
        return history.stream().map(h -> h.split(",", -1)).filter(f -> f[0].equals(phase) && f[2].equals(kind))
                .mapToDouble(f -> f[col].isEmpty() ? Double.NaN : Double.parseDouble(f[col])).toArray();
    }

    @Test
    void everyPhaseRunsAndDoesWhatTheRecipeSays(@TempDir Path work) throws Exception {
        NoGanConfig cfg = TinyNoGan.config().build();
        NoGanTrainer t = new NoGanTrainer(cfg, TinyNoGan.data(), work).optAllowGpu(false);
        assertEquals(List.of("generate-0", "critic-0", "pretrain", "generate-1", "critic-1", "gan-1", "generate-2",
                "critic-2", "gan-2"), t.phaseLabels());
        Recorder rec = new Recorder();
        NoGanTrainer.Outcome o = t.run(TinyNoGan.base(), false, List.of(rec));
        assertTrue(o.completed());

        // Pretraining: losses fall, validation improves on the base model.
        double[] loss = column(o.history(), "pretrain", "generator", 3);
        assertEquals(cfg.pretrainSteps(), loss.length);
        double first = Arrays.stream(loss, 0, 4).average().orElseThrow();
        double last = Arrays.stream(loss, loss.length - 4, loss.length).average().orElseThrow();
        assertTrue(last < first, "pretraining loss " + first + " -> " + last);
        assertTrue(o.preGanMetrics().psnr() > o.base().psnr() + 0.2, o.base() + " -> " + o.preGanMetrics());

        // Generated images were saved for the critic.
        try (Stream<Path> s = Files.list(work.resolve("generated/cycle-1"))) {
            assertEquals(4, s.filter(p -> p.toString().endsWith(".tif")).count());
        }

        // Critic pretraining ends above chance.
        Map<String, Object> critic = o.phases().stream().filter(p -> p.get("phase").equals("critic-1")).findFirst().orElseThrow();
        assertTrue(((Number) critic.get("accuracy")).doubleValue() > 0.6, "critic accuracy " + critic);

        // GAN phase: every generator update follows a critic loss below the threshold; counters agree with the log.
        double[] allowedBy = column(o.history(), "gan-1", "generator", 8);
        Map<String, Object> gan = o.phases().stream().filter(p -> p.get("phase").equals("gan-1")).findFirst().orElseThrow();
        assertEquals(((Number) gan.get("generator_steps")).intValue(), allowedBy.length, gan.toString());
        assertEquals(((Number) gan.get("critic_steps")).intValue(), column(o.history(), "gan-1", "critic", 3).length);
        assertTrue(allowedBy.length > 0, "the generator was updated in the GAN phase");
        for (double c : allowedBy) {
            assertTrue(c < cfg.criticThreshold(), "generator step after critic loss " + c);
        }
        double[] adv = column(o.history(), "gan-1", "generator", 7);
        assertTrue(Arrays.stream(adv).allMatch(Double::isFinite), "adversarial losses finite");

        // The best generator keeps PSNR within the allowed drop of the pre-GAN generator.
        assertTrue(o.bestMetrics().psnr() >= o.preGanMetrics().psnr() - cfg.maxPsnrDrop());
        assertTrue(rec.phases.containsAll(List.of("critic-0", "pretrain", "critic-1", "gan-1")), rec.phases.toString());

        // Logs: the CSV has the header plus the history; the JSON summary says done.
        List<String> log = Files.readAllLines(work.resolve(NoGanTrainer.LOG));
        assertEquals(NoGanTrainer.HISTORY_HEADER, log.get(0));
        assertEquals(o.history(), log.subList(1, log.size()));
        String summary = Files.readString(work.resolve(NoGanTrainer.SUMMARY));
        assertTrue(summary.contains("\"done\": true") && summary.contains("seconds_per_step"), summary);
        assertTrue(o.secondsPerStep().get("critic") > 0 && o.secondsPerStep().get("generator") > 0, o.secondsPerStep().toString());
    }

    @Test
    void generatorIsNotUpdatedWhileTheCriticIsAboveItsThreshold(@TempDir Path work) throws Exception {
        NoGanConfig cfg = TinyNoGan.config().optFeatures(FeatureNet.NONE, null).optPretrain(4, 1e-3f)
                .optCriticPretrain(4, 2e-3f, 0.95).optGan(12, 1e-4f, 5, 0.01f).optCycles(1).build();
        Recorder rec = new Recorder();
        NoGanTrainer.Outcome o = new NoGanTrainer(cfg, TinyNoGan.data(), work).optAllowGpu(false)
                .run(TinyNoGan.base(), false, List.of(rec));
        assertEquals(0, column(o.history(), "gan-1", "generator", 3).length);
        assertEquals(12, column(o.history(), "gan-1", "critic", 3).length);
        Map<String, Object> gan = o.phases().stream().filter(p -> p.get("phase").equals("gan-1")).findFirst().orElseThrow();
        assertEquals(0, ((Number) gan.get("generator_steps")).intValue());
        assertEquals(12, ((Number) gan.get("critic_steps")).intValue());
        assertTrue(o.best() == o.preGan(), "best generator is the pre-GAN one");
        assertTrue(rec.messages.stream().anyMatch(m -> m.contains("never fell below the threshold")), rec.messages.toString());
    }

    /** The options from the GAN literature: relativistic average losses and the self-supervised critic decoder. */
    @Test
    void relativisticAndSelfSupervisedCriticRun(@TempDir Path work) throws Exception {
        NoGanConfig cfg = TinyNoGan.config().optRelativistic(true).optSelfSupervised(true, 1f).optPretrain(4, 1e-3f)
                .optCriticPretrain(30, 2e-3f, 0.95).optGan(16, 1e-4f, 5, 0.69f).optCycles(1).build();
        assertTrue(cfg.critic().decoder());
        NoGanTrainer.Outcome o = new NoGanTrainer(cfg, TinyNoGan.data(), work).optAllowGpu(false)
                .run(TinyNoGan.base(), false, List.of(new Recorder()));
        assertTrue(o.completed());
        double[] rec = column(o.history(), "critic-1", "critic", 10);
        assertTrue(rec.length > 0 && Arrays.stream(rec).allMatch(Double::isFinite), "reconstruction loss logged");
        double first = Arrays.stream(rec, 0, 5).average().orElseThrow();
        double last = Arrays.stream(rec, rec.length - 5, rec.length).average().orElseThrow();
        assertTrue(last < first, "the decoder learns to reconstruct: " + first + " -> " + last);
        double[] adv = column(o.history(), "gan-1", "generator", 7);
        assertTrue(adv.length > 0 && Arrays.stream(adv).allMatch(Double::isFinite), "relativistic adversarial loss logged");
    }

    /** A NaN batch in pretraining: the run rolls back to its last checkpoint with halved learning rates and finishes. */
    @Test
    void nonFiniteLossRollsBackWithALowerLearningRate(@TempDir Path work) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        NoGanTrainer.Data clean = TinyNoGan.data();
        NoGanTrainer.Data poisoned = TinyNoGan.data((n, rng) -> {
            Batch b = clean.batches().sample(n, rng);
            if (calls.incrementAndGet() == 8) {
                float[] in = b.input().clone();
                Arrays.fill(in, Float.NaN);
                return new Batch(in, b.target(), b.n(), b.height(), b.width(), b.channels(), b.scale());
            }
            return b;
        });
        NoGanConfig cfg = TinyNoGan.config().optFeatures(FeatureNet.NONE, null).optCriticPretrain(4, 2e-3f, 0.95)
                .optGan(4, 1e-4f, 5, 0.65f).optCycles(1).build();
        Recorder rec = new Recorder();
        NoGanTrainer.Outcome o = new NoGanTrainer(cfg, poisoned, work).optAllowGpu(false).run(TinyNoGan.base(), false,
                List.of(rec));
        assertTrue(o.completed());
        assertEquals(1, o.rollbacks());
        assertEquals(0.5, o.lrFactor());
        assertTrue(rec.messages.stream().anyMatch(m -> m.contains("rolled back to the checkpoint (pretrain, step 5)")),
                rec.messages.toString());
        long pretrainLines = o.history().stream().filter(h -> h.startsWith("pretrain,") && h.contains(",generator,")).count();
        assertEquals(cfg.pretrainSteps(), pretrainLines, "steps after the checkpoint are not duplicated in the history");
        assertTrue(o.preGanMetrics().finite());
    }

    @Test
    void persistentNaNStopsWithAClearError(@TempDir Path work) throws Exception {
        NoGanTrainer.Data clean = TinyNoGan.data();
        NoGanTrainer.Data poisoned = TinyNoGan.data((n, rng) -> {
            Batch b = clean.batches().sample(n, rng);
            float[] in = b.input().clone();
            in[0] = Float.POSITIVE_INFINITY;
            return new Batch(in, b.target(), b.n(), b.height(), b.width(), b.channels(), b.scale());
        });
        NoGanConfig cfg = TinyNoGan.config().optFeatures(FeatureNet.NONE, null).optCycles(1).build();
        TrainingException e = assertThrows(TrainingException.class, () -> new NoGanTrainer(cfg, poisoned, work)
                .optAllowGpu(false).run(TinyNoGan.base(), false, List.of()));
        assertTrue(e.getMessage().contains("roll-backs") && e.getMessage().contains("resume"), e.getMessage());
    }

    /** Cancel writes a checkpoint and stops; resume finishes the run from there. */
    @Test
    void cancelKeepsTheCheckpointAndResumeFinishes(@TempDir Path work) throws Exception {
        NoGanConfig cfg = TinyNoGan.config().optFeatures(FeatureNet.ENCODER, new float[] {1, 1}).optEncoder(6, 1e-3f)
                .optCriticPretrain(6, 2e-3f, 0.95).optGan(8, 1e-4f, 5, 0.69f).optCycles(1).build();
        AtomicInteger steps = new AtomicInteger();
        TrainingListener stopper = new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                steps.incrementAndGet();
            }

            @Override
            public boolean cancelRequested() {
                return steps.get() >= 10;
            }
        };
        NoGanTrainer.Outcome stopped = new NoGanTrainer(cfg, TinyNoGan.data(), work).optAllowGpu(false)
                .run(TinyNoGan.base(), false, List.of(stopper));
        assertFalse(stopped.completed());
        Checkpoint ck = Checkpoint.read(work);
        RunState st = RunState.fromYaml(ck.meta().get(NoGanTrainer.PROGRESS));
        assertEquals("pretrain", NoGanTrainer.plan(cfg).get(st.phase).label(), "6 encoder steps, then 4 of pretraining");
        assertEquals(4, st.step);
        assertTrue(ck.state().asMap().containsKey("encoder/l0/down/w") && ck.state().asMap().containsKey("critic/l0/down/w")
                && ck.state().asMap().containsKey("adam_m:stem/w"), "both networks and the optimiser state are checkpointed");

        Recorder rec = new Recorder();
        NoGanTrainer.Outcome resumed = new NoGanTrainer(cfg, TinyNoGan.data(), work).optAllowGpu(false)
                .run(null, true, List.of(rec));
        assertTrue(resumed.completed());
        assertTrue(rec.messages.get(0).startsWith("Resuming pretrain after step 4"), rec.messages.toString());
        assertEquals(cfg.pretrainSteps(), column(resumed.history(), "pretrain", "generator", 3).length);
        assertEquals(6, column(resumed.history(), "encoder", "encoder", 3).length);

        // Resuming a finished run trains nothing more.
        NoGanTrainer.Outcome again = new NoGanTrainer(cfg, TinyNoGan.data(), work).optAllowGpu(false)
                .run(null, true, List.of());
        assertTrue(again.completed());
        assertEquals(resumed.history(), again.history());

        TrainingException e = assertThrows(TrainingException.class, () -> new NoGanTrainer(
                TinyNoGan.config().optCycles(3).build(), TinyNoGan.data(), work).optAllowGpu(false).run(null, true, List.of()));
        assertTrue(e.getMessage().contains("other settings") && e.getMessage().contains("cycles"), e.getMessage());
    }
}
