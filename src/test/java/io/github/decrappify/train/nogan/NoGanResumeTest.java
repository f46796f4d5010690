package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Metrics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.net.Params;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import io.github.decrappify.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NoGAN run killed with SIGKILL in its first critic cycle resumes from its checkpoint and finishes. */
class NoGanResumeTest {

    @Test
    void sigkilledRunResumesFromItsLastCheckpoint(@TempDir Path tmp) throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        NoGanConfig cfg = TinyNoGan.resumeConfig();
        int criticPhase = NoGanTrainer.plan(cfg).stream().map(NoGanTrainer.Phase::label).toList().indexOf("critic-1");

        Path work = tmp.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NoGanKillMain.class.getName(),
                work.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        RunState seen = null;
        while (System.nanoTime() < deadline && child.isAlive()) {
            try {
                Checkpoint ck = Files.exists(work.resolve(Checkpoint.FILE)) ? Checkpoint.read(work) : null;
                seen = ck == null ? null : RunState.fromYaml(ck.meta().get(NoGanTrainer.PROGRESS));
            } catch (java.io.IOException e) {
                seen = null; // caught between write and rename on some file systems: try again
            }
            if (seen != null && (seen.phase > criticPhase || seen.phase == criticPhase && seen.step >= 5)) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(child.isAlive(), "child ended before it could be killed: " + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no final checkpoint
        Checkpoint last = Checkpoint.read(work);
        RunState at = RunState.fromYaml(last.meta().get(NoGanTrainer.PROGRESS));
        assertTrue(at.phase >= criticPhase && !at.done, "killed in " + at.phase + " step " + at.step);
        assertTrue(at.preGan != null, "pretraining had finished");

        // Both networks and the optimiser moments come back bit for bit.
        Params network = NoGanTrainer.networkState(last.state());
        try (NoGanGraph g = new NoGanGraph(cfg, network, false)) {
            Params restored = g.snapshot();
            assertEquals(network.asMap().keySet(), restored.asMap().keySet());
            for (var e : network.asMap().entrySet()) {
                assertArrayEquals(e.getValue().data(), restored.get(e.getKey()).data(), 0f, e.getKey());
            }
        }

        NoGanTrainer.Outcome resumed = new NoGanTrainer(cfg, TinyNoGan.data(), work).optAllowGpu(false)
                .run(null, true, List.of());
        assertTrue(resumed.completed());
        assertEquals(last.history(), resumed.history().subList(0, last.history().size()), "history before the kill is kept");
        Set<String> keys = new HashSet<>();
        for (String h : resumed.history()) {
            String[] f = h.split(",", 4);
            assertTrue(keys.add(f[0] + "," + f[1] + "," + f[2]), "no step repeated: " + h);
        }
        assertEquals(at.preGan, resumed.preGanMetrics(), "pre-GAN result restored from the checkpoint");

        // An uninterrupted run ends in the same place (TF's CPU kernels are not bit-reproducible run to run).
        NoGanTrainer.Outcome reference = new NoGanTrainer(cfg, TinyNoGan.data(), tmp.resolve("ref")).optAllowGpu(false)
                .run(TinyNoGan.base(), false, List.of());
        assertEquals(reference.bestMetrics().psnr(), resumed.bestMetrics().psnr(), 0.5);
        assertEquals(reference.preGanMetrics().psnr(), resumed.preGanMetrics().psnr(), 0.3);
    }
}
