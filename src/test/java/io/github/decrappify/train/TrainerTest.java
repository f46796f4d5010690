package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.net.Params;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    static final int STEPS = 30;

    @BeforeAll
    static void natives() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
    }

    @Test
    void lossFallsAndValidationImproves(@TempDir Path work) throws Exception {
        Trainer.Result r = TinyTraining.trainer(STEPS, work).run(null, false, List.of());
        assertEquals(STEPS, r.step());
        assertTrue(r.completed());
        assertTrue(r.lastValidation().psnr() > r.firstValidation().psnr() + 1,
                "validation PSNR " + r.firstValidation().psnr() + " -> " + r.lastValidation().psnr());
        assertTrue(Files.exists(work.resolve(Checkpoint.FILE)));
        assertEquals(STEPS + 1, r.history().size(), "one history line per step plus the initial validation");
    }

    @Test
    void runKilledWithSigkillResumesToTheSameWeights(@TempDir Path tmp) throws Exception {
        Trainer.Result reference = TinyTraining.trainer(STEPS, tmp.resolve("ref")).run(null, false, List.of());

        Path work = tmp.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TrainKillMain.class.getName(),
                work.toString(), String.valueOf(STEPS)).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Checkpoint seen = null;
        while (System.nanoTime() < deadline) {
            seen = Files.exists(work.resolve(Checkpoint.FILE)) ? Checkpoint.read(work) : null;
            if (seen != null && seen.step() >= 10 || !child.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(child.isAlive(), "child ended before it could be killed: " + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no final checkpoint
        Checkpoint last = Checkpoint.read(work);
        assertTrue(last.step() >= 10 && last.step() < STEPS, "killed at checkpoint step " + last.step());

        // Resuming restores weights and Adam moments bit for bit.
        try (TrainGraph g = new TrainGraph(TinyTraining.NET, last.state(), 7, 0.1f, 1, false)) {
            Params restored = g.snapshot();
            assertEquals(last.state().asMap().keySet(), restored.asMap().keySet());
            for (var e : last.state().asMap().entrySet()) {
                assertArrayEquals(e.getValue().data(), restored.get(e.getKey()).data(), 0f, e.getKey());
            }
        }
        Trainer.Result resumed = TinyTraining.trainer(STEPS, work).run(null, true, List.of());
        assertEquals(STEPS, resumed.step());
        assertEquals(STEPS + 1, resumed.history().size(), "history before the kill is kept, no step repeated");
        assertTrue(resumed.history().get((int) last.step()).startsWith((last.step()) + ","), "history continues at the checkpoint");
        // TF's CPU kernels are not bit-reproducible run to run (two uninterrupted runs of this set-up end
        // ~1e-3 apart in single weights), so the outcome is compared by its validation score.
        assertEquals(reference.lastValidation().psnr(), resumed.lastValidation().psnr(), 0.5,
                "resumed run ends where an uninterrupted run does");
        assertTrue(resumed.lastValidation().psnr() > reference.firstValidation().psnr() + 1);
    }

    @Test
    void resumeWithOtherSettingsIsRefused(@TempDir Path work) throws Exception {
        TinyTraining.trainer(6, work).run(null, false, List.of());
        TrainingException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingException.class,
                () -> TinyTraining.trainer(12, work).run(null, true, List.of()));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    }
}
