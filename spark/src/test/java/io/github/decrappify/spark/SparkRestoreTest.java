package io.github.decrappify.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.Json;
import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.restore.RestoreListener;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.testutil.TestBundles;
import io.github.decrappify.tile.TileModel;
import io.github.decrappify.volume.VolumeOptions;
import io.github.decrappify.volume.Volumes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark local mode (2 task slots, up to 4 attempts per task) on a small OME-Zarr volume with a real
 * unet-s in TensorFlow: the output equals the single-machine {@code restore}, executors load the model
 * once, a task that fails is retried without corrupting the output, and a rerun after a failed job or
 * after a restoration killed with SIGKILL keeps finished chunks and completes the same result.
 */
class SparkRestoreTest {

    static final StackShape SHAPE = new StackShape(150, 130, 1, 4, 1, 16);

    @TempDir
    static Path shared;
    static Path bundleDir;
    static Path input;
    static RestoreSettings settings;
    static Map<String, FloatPlane> expected;
    static String sha;
    static JavaSparkContext sc;

    @BeforeAll
    static void setUp() throws Exception {
        bundleDir = TestBundles.create(shared.resolve("models"), "unet-x2", 2);
        ModelBundle bundle = ModelBundle.open(bundleDir);
        sha = bundle.spec().artifacts().weights().sha256();
        settings = RestoreRequest.defaults().settingsFor(bundle.spec());
        input = Volumes.write(shared.resolve("em.ome.zarr"), SHAPE, new Calibration(8, 8, 40, "nm", 0, "sec"),
                new int[] {2, 64, 64});
        try (BundleModel model = BundleModel.load(bundle, Device.CPU)) {
            expected = Volumes.reference(model, settings, input); // the single-machine restore
        }
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,4]").setAppName("decrappify-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.close();
        }
    }

    static SparkRestore.Result run(ModelSource source, Path out) throws Exception {
        return SparkRestore.run(sc, input, out, source, settings, new VolumeOptions(96, 1, 1, 1), 6,
                RestoreListener.NONE);
    }

    /** Largest difference to the single-machine result, relative to the output's range. */
    static double relativeError(Path out) throws Exception {
        double max = 0;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int z = 0; z < SHAPE.slices(); z++) {
            FloatPlane e = expected.get(Volumes.key(0, z, 0));
            FloatPlane a = Volumes.plane(out, 0, z, 0);
            assertEquals(e.width(), a.width());
            for (int i = 0; i < e.data().length; i++) {
                max = Math.max(max, Math.abs(e.data()[i] - a.data()[i]));
                lo = Math.min(lo, e.data()[i]);
                hi = Math.max(hi, e.data()[i]);
            }
        }
        assertTrue(hi - lo > 100, "a real restoration: range " + (hi - lo));
        return max / (hi - lo);
    }

    @Test
    void equalsTheSingleMachineRestoreAndLoadsTheModelOncePerExecutor() throws Exception {
        Path out = shared.resolve("out.ome.zarr");
        BundleModelSource source = new BundleModelSource(bundleDir.toString(), "cpu", sha);
        SparkRestore.Result r = run(source, out);
        assertEquals(36, r.blocksRestored(), "3x3 tiles of 64 LR px on each of 4 planes");
        assertTrue(r.chunksMerged() > 0);
        assertEquals(0, r.retriedTasks());
        assertEquals(1, ExecutorModels.loads(source.key()), "one model for all tasks (and runs) of the local executor");
        double err = relativeError(out);
        assertTrue(err < 1e-5, "relative difference to restore: " + err);
        OmeZarr img = OmeZarr.open(out);
        assertEquals(new StackShape(300, 260, 1, 4, 1, 32), img.shape());
        assertEquals(4, img.calibration().pixelWidth(), 1e-12);
        JsonObject manifest = Json.read(out.resolve(".decrappify/manifest.json")).getAsJsonObject();
        assertEquals("complete", manifest.get("state").getAsString());
        JsonObject run = manifest.getAsJsonArray("runs").get(0).getAsJsonObject();
        assertTrue(run.get("engine").getAsString().startsWith("spark local[2,4]"), run.toString());
        assertEquals(36, run.get("blocks_restored").getAsInt());
        assertTrue(Files.notExists(out.resolve(".decrappify/partials")));
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheOutputIsUnharmed() throws Exception {
        Path out = shared.resolve("retry.ome.zarr");
        Path marker = shared.resolve("failed-once");
        SparkRestore.Result r = run(new FailingSource(bundleDir.toString(), sha, marker.toString(), 7, true), out);
        assertTrue(Files.exists(marker), "the failure was injected");
        assertTrue(r.retriedTasks() >= 1, "a task succeeded on a later attempt: " + r);
        assertEquals(36, r.blocksRestored() + r.blocksSkipped());
        double err = relativeError(out);
        assertTrue(err < 1e-5, "relative difference to restore: " + err);
        JsonObject run = Json.read(out.resolve(".decrappify/manifest.json")).getAsJsonObject()
                .getAsJsonArray("runs").get(0).getAsJsonObject();
        assertTrue(run.get("tasks_succeeding_after_retry").getAsInt() >= 1, run.toString());
    }

    @Test
    void aRerunAfterAFailedJobSkipsFinishedChunksAndCompletesTheSameResult() throws Exception {
        Path out = shared.resolve("rerun.ome.zarr");
        // Every attempt fails from the 20th prediction on: the job fails after Spark's retries, part done.
        Exception e = assertThrows(Exception.class, () -> run(new FailingSource(bundleDir.toString(), sha,
                shared.resolve("never").toString(), 20, false), out));
        assertTrue(String.valueOf(e.getMessage()).contains("simulated"), e.getMessage());
        JsonObject failed = Json.read(out.resolve(".decrappify/manifest.json")).getAsJsonObject();
        assertEquals("running", failed.get("state").getAsString());
        assertTrue(failed.getAsJsonArray("runs").get(0).getAsJsonObject().get("failed").getAsString()
                .contains("simulated"));
        Map<Path, FileTime> before = chunkTimes(out);
        assertTrue(before.size() > 5, "chunks finished before the failure: " + before.size());

        SparkRestore.Result r = run(new BundleModelSource(bundleDir.toString(), "cpu", sha), out);
        assertTrue(r.blocksSkipped() > 0, "finished blocks skipped: " + r);
        assertEquals(36, r.blocksRestored() + r.blocksSkipped());
        Map<Path, FileTime> after = chunkTimes(out);
        for (Map.Entry<Path, FileTime> c : before.entrySet()) {
            assertEquals(c.getValue(), after.get(c.getKey()), "finished chunk rewritten: " + c.getKey());
        }
        double err = relativeError(out);
        assertTrue(err < 1e-5, "relative difference to restore: " + err);
        JsonArray runs = Json.read(out.resolve(".decrappify/manifest.json")).getAsJsonObject().getAsJsonArray("runs");
        assertEquals(2, runs.size());
    }

    @Test
    void aRestoreKilledWithSigkillResumesWithoutRedoingFinishedChunks() throws Exception {
        Path out = shared.resolve("killed.ome.zarr");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g"));
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SparkKillMain.class.getName(),
                bundleDir.toString(), input.toString(), out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(shared.resolve("killed.log").toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process child = pb.start();
        try {
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (chunkCount(out) < 4 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean-up
        }
        Map<Path, FileTime> before = chunkTimes(out);
        assertTrue(before.size() >= 4, "chunks finished before the kill: " + before.size() + "; log: "
                + Files.readString(shared.resolve("killed.log")));
        JsonObject manifest = Json.read(out.resolve(".decrappify/manifest.json")).getAsJsonObject();
        assertEquals("running", manifest.get("state").getAsString(), "killed before the end");

        SparkRestore.Result r = run(new BundleModelSource(bundleDir.toString(), "cpu", sha), out);
        assertTrue(r.blocksSkipped() > 0, "finished blocks skipped: " + r);
        assertTrue(r.blocksRestored() > 0, "unfinished blocks restored: " + r);
        Map<Path, FileTime> after = chunkTimes(out);
        for (Map.Entry<Path, FileTime> c : before.entrySet()) {
            assertEquals(c.getValue(), after.get(c.getKey()), "finished chunk rewritten: " + c.getKey());
        }
        double err = relativeError(out);
        assertTrue(err < 1e-5, "relative difference to restore: " + err);
        assertTrue(Files.notExists(out.resolve(".decrappify/tmp")), "debris of the killed run cleared");
    }

    /** What Spark needs on Java 17, as the surefire configuration and bin/decrappify pass it. */
    static final List<String> JVM_FLAGS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private static long chunkCount(Path out) throws Exception {
        if (!Files.isDirectory(out.resolve("0"))) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(out.resolve("0"))) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    private static Map<Path, FileTime> chunkTimes(Path out) throws Exception {
        Map<Path, FileTime> m = new HashMap<>();
        try (Stream<Path> files = Files.walk(out.resolve("0"))) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                m.put(p, Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    /**
     * The real model, failing at its n-th prediction in this JVM: once (recorded by a marker file, as a
     * lost executor or a transient error would), or on every prediction from the n-th on.
     */
    record FailingSource(String bundle, String weights, String marker, int failAt, boolean once) implements ModelSource {
        @Override
        public String key() {
            return "failing:" + marker + ":" + failAt + ":" + once;
        }

        @Override
        public String weightsId() {
            return weights;
        }

        @Override
        public TileModel geometry() throws Exception {
            return new BundleModelSource(bundle, "cpu", weights).geometry();
        }

        @Override
        public TileModel load() throws Exception {
            TileModel real = new BundleModelSource(bundle, "cpu", weights).load();
            AtomicInteger calls = new AtomicInteger();
            return new TileModel() {
                @Override
                public int scale() {
                    return real.scale();
                }

                @Override
                public int sizeMultiple() {
                    return real.sizeMultiple();
                }

                @Override
                public int inputChannels() {
                    return real.inputChannels();
                }

                @Override
                public String name() {
                    return real.name();
                }

                @Override
                public FloatPlane predict(FloatPlane in) {
                    if (calls.incrementAndGet() >= failAt) {
                        Path m = Path.of(marker);
                        if (!once || !Files.exists(m)) {
                            try {
                                Files.writeString(m, "failed");
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            throw new IllegalStateException("simulated executor failure");
                        }
                    }
                    return real.predict(in);
                }
            };
        }
    }
}
