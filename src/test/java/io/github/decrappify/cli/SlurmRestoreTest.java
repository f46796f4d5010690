package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ShortProcessor;
import io.github.decrappify.testutil.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/slurm-restore.sh} run as on a cluster, one array index at a time: each task restores its
 * share, a rerun skips what is complete, and failures end the task non-zero with a one-line reason.
 * The script calls the real command line (a wrapper around {@link Main} on the test class path).
 */
class SlurmRestoreTest {

    @TempDir
    static Path shared;

    static Path bundle;
    static Path decrappify;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        bundle = TestBundles.create(shared, "unet-x2", 2);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        decrappify = shared.resolve("decrappify");
        Files.writeString(decrappify, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1"
                + " -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp '" + cp + "' " + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(decrappify, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Run(int exit, List<String> out, List<String> err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err);
        }
    }

    Run task(Map<String, String> slurm, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", Path.of("bin/slurm-restore.sh").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".log");
        Path err = Files.createTempFile(dir, "err", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_"));
        pb.environment().putAll(slurm);
        pb.environment().put("DECRAPPIFY", decrappify.toString());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        pb.environment().put("TMPDIR", dir.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "task finished");
        return new Run(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }

    static Map<String, String> index(int task, int count) {
        Map<String, String> env = new HashMap<>();
        env.put("SLURM_ARRAY_TASK_ID", String.valueOf(task));
        env.put("SLURM_ARRAY_TASK_COUNT", String.valueOf(count));
        env.put("SLURM_ARRAY_JOB_ID", "4242");
        return env;
    }

    static void image(Path file, int offset) {
        ShortProcessor sp = new ShortProcessor(64, 64);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                sp.set(x, y, offset + 11 * x + 5 * y + (x * y) % 23);
            }
        }
        IJ.saveAsTiff(new ImagePlus(file.getFileName().toString(), sp), file.toString());
    }

    @Test
    void tasksShareTheFolderAndRerunsSkipCompleteOutputs() throws Exception {
        Path in = Files.createDirectories(dir.resolve("lr"));
        for (String name : List.of("a", "b", "c", "d", "e")) {
            image(in.resolve(name + ".tif"), 100 * name.charAt(0));
        }
        Path out = dir.resolve("x2");
        Run first = task(index(0, 2), in.toString(), out.toString(), bundle.toString());
        assertEquals(0, first.exit(), first::toString);
        // everything is the job's log, on stderr (#SBATCH --output collects both streams in one file)
        assertEquals(List.of(), first.out(), first::toString);
        assertTrue(first.err().get(0).startsWith("slurm-restore: task 0 (1 of 2): 3 of 5 files from " + in), first::toString);
        assertTrue(first.err().stream().anyMatch(l -> l.startsWith("restored 3, skipped 0, failed 0 in ")), first::toString);
        assertEquals("slurm-restore: task 0 done", first.err().get(first.err().size() - 1));
        for (String name : List.of("a", "c", "e")) {
            assertEquals(128, IJ.openImage(out.resolve(name + ".tif").toString()).getWidth(), name);
        }
        assertFalse(Files.exists(out.resolve("b.tif")), "b is task 1's");

        Run second = task(index(1, 2), in.toString(), out.toString(), bundle.toString());
        assertEquals(0, second.exit(), second::toString);
        assertTrue(second.err().stream().anyMatch(l -> l.startsWith("restored 2, skipped 0, failed 0")), second::toString);
        assertTrue(Files.exists(out.resolve("b.tif")) && Files.exists(out.resolve("d.tif")));

        Run again = task(index(0, 2), in.toString(), out.toString(), bundle.toString());
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.err().stream().anyMatch(l -> l.startsWith("restored 0, skipped 3, failed 0")), again::toString);
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("decrappify-share-")), "share folders removed");
        }
    }

    @Test
    void arraysNotStartingAtZeroUseMinAndMax() throws Exception {
        Path in = Files.createDirectories(dir.resolve("lr"));
        image(in.resolve("a.tif"), 100);
        image(in.resolve("b.tif"), 200);
        Map<String, String> env = Map.of("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_MAX", "2");
        Run r = task(env, in.toString(), dir.resolve("out").toString(), bundle.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().get(0).startsWith("slurm-restore: task 2 (2 of 2): 1 of 2 files"), r::toString);
        assertTrue(Files.exists(dir.resolve("out/b.tif")) && !Files.exists(dir.resolve("out/a.tif")));
    }

    @Test
    void failuresExitNonZeroWithOneLineReasons() throws Exception {
        Run usage = task(index(0, 1), dir.resolve("missing").toString(), dir.resolve("out").toString(), bundle.toString());
        assertEquals(1, usage.exit());
        assertEquals(List.of("slurm-restore: error: input folder " + dir.resolve("missing") + " does not exist"), usage.err());

        Path in = Files.createDirectories(dir.resolve("lr"));
        image(in.resolve("good.tif"), 100);
        Files.write(in.resolve("broken.tif"), new byte[] {'I', 'I', 42, 0, 9, 9});
        Run r = task(index(0, 1), in.toString(), dir.resolve("out").toString(), bundle.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(Files.exists(dir.resolve("out/good.tif")), "the good file is still restored");
        assertFalse(Files.exists(dir.resolve("out/broken.tif")));
        int n = r.err().size();
        assertEquals(2, r.err().stream().filter(Cli::isProblem).count(), "two reasons after the log: " + r);
        assertTrue(r.err().get(n - 2).startsWith("decrappify restore: failed: ") && r.err().get(n - 2).contains("broken.tif"),
                r::toString);
        assertEquals("slurm-restore: error: task 0: restore exited with 1; see the lines above (rerun the same index to retry)",
                r.err().get(n - 1));

        Run badModel = task(index(0, 1), in.toString(), dir.resolve("out").toString(), "no-such-model");
        assertEquals(1, badModel.exit(), badModel::toString);
        List<String> bad = badModel.err();
        assertTrue(bad.get(bad.size() - 2).contains("unknown model 'no-such-model'"), badModel::toString);
        assertEquals(2, bad.stream().filter(Cli::isProblem).count(), badModel::toString);
    }
}
