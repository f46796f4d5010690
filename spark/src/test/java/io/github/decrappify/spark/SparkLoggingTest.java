package io.github.decrappify.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.testutil.TestBundles;
import io.github.decrappify.volume.Volumes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logging of {@code bin/decrappify spark-restore} ({@code conf/log4j2.properties}): a job whose task
 * fails ends in the command's one-line error only, without Spark's executor stack trace, "Lost task" and
 * "aborting job" before it, unless {@code -Ddecrappify.debug=true} (issue 13, Smaller). The command runs
 * as {@code bin/decrappify} starts it, in its own JVM with the real file, on a volume with one corrupt
 * chunk, so the task that reads it fails in the executor.
 */
class SparkLoggingTest {

    @TempDir
    static Path dir;
    static Path bundleDir;
    static Path input;

    @BeforeAll
    static void setUp() throws Exception {
        bundleDir = TestBundles.create(dir.resolve("models"), "unet-x2", 2);
        input = Volumes.write(dir.resolve("em.ome.zarr"), new StackShape(64, 64, 1, 2, 1, 16),
                new Calibration(8, 8, 40, "nm", 0, "sec"), new int[] {1, 64, 64});
        List<Path> chunks;
        try (Stream<Path> files = Files.walk(input.resolve("0"))) {
            chunks = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        assertEquals(2, chunks.size(), chunks.toString());
        byte[] garbage = new byte[(int) Files.size(chunks.get(1))];
        Arrays.fill(garbage, (byte) 0x5a); // same size, not zlib: only decoding it in the task fails
        Files.write(chunks.get(1), garbage);
    }

    @Test
    void aFailedTaskEndsInOneLineUnlessDebugging() throws Exception {
        Result quiet = sparkRestore(false, dir.resolve("quiet.ome.zarr"));
        assertEquals(1, quiet.code(), quiet.err());
        List<String> lines = quiet.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "only the command's line:\n" + quiet.err());
        assertTrue(lines.get(0).startsWith("decrappify spark-restore: error: ")
                && lines.get(0).contains("corrupt chunk"), lines.get(0));

        Result debug = sparkRestore(true, dir.resolve("debug.ome.zarr"));
        assertEquals(1, debug.code(), debug.err());
        assertTrue(debug.err().contains("ERROR Executor: Exception in task"), debug.err());
        assertTrue(debug.err().contains("WARN TaskSetManager: Lost task"), debug.err());
        assertTrue(debug.err().contains("aborting job"), debug.err());
        assertTrue(debug.err().lines().anyMatch(l -> l.startsWith("\tat io.github.decrappify.")),
                "stack traces when debugging:\n" + debug.err());
        List<String> last = debug.err().lines().filter(l -> l.startsWith("decrappify spark-restore: error: ")).toList();
        assertEquals(lines, last, "the same one-line error, in both");
    }

    record Result(int code, String err) {
    }

    /** {@code bin/decrappify spark-restore} as the script starts it; stderr. */
    private static Result sparkRestore(boolean debugging, Path out) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        cmd.addAll(SparkRestoreTest.JVM_FLAGS);
        if (debugging) {
            cmd.add("-Ddecrappify.debug=true");
        }
        // SparkConf reads spark.* system properties: no host name lookup on machines without one.
        cmd.addAll(List.of("-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
                "-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), SparkMain.class.getName(), "spark-restore", "-q",
                "-m", bundleDir.toString(), "-i", input.toString(), "-o", out.toString(), "--device", "cpu",
                "--master", "local[1]"));
        Path err = dir.resolve(out.getFileName() + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process child = pb.start();
        try {
            assertTrue(child.waitFor(240, TimeUnit.SECONDS), "spark-restore finished");
        } finally {
            child.destroyForcibly();
        }
        return new Result(child.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }
}
