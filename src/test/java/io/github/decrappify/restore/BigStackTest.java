package io.github.decrappify.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.TiffStackWriter;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack larger than the heap restores plane by plane, in a separate JVM with a small heap.
 *
 * <p>By default 1000 planes of 256² floats (250 MiB) in a 128 MiB heap, output 1 GiB. With
 * {@code -Ddecrappify.fullBigStack=true}: 1000 planes of 512² (1 GiB) in 256 MiB, output 4 GiB, which
 * also runs the beyond-4-GiB TIFF layout end to end (about 40 s and 5 GiB of disk writes, so opt-in
 * on shared machines).
 */
class BigStackTest {

    static final boolean FULL = Boolean.getBoolean("decrappify.fullBigStack");
    static final int SIZE = FULL ? 512 : 256;
    static final int PLANES = 1000;
    static final String HEAP = FULL ? "-Xmx256m" : "-Xmx128m";

    @TempDir
    Path dir;

    static float value(int x, int y, int z) {
        return z + ((3 * x + y) % 16) * 0.0625f; // exact in float
    }

    @Test
    void stackLargerThanHeapRestoresPlaneByPlane() throws Exception {
        long t0 = System.nanoTime();
        Path in = dir.resolve("big.tif");
        try (TiffStackWriter w = new TiffStackWriter(in, new StackShape(SIZE, SIZE, 1, PLANES, 1, 32),
                new Calibration(4, 4, 50, "nm", 0, "sec"), "")) {
            for (int z = 0; z < PLANES; z++) {
                FloatPlane p = FloatPlane.zeros(SIZE, SIZE, 1);
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        p.set(x, y, value(x, y, z));
                    }
                }
                w.writePlane(0, z, 0, p);
            }
            w.commit();
        }
        long written = System.nanoTime();
        Path out = dir.resolve("big-x2.tif");
        Path log = dir.resolve("child.log");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, HEAP, "-cp", classpath, BigStackMain.class.getName(),
                in.toString(), out.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), "child did not finish");
        String childLog = Files.readString(log);
        assertEquals(0, child.exitValue(), childLog);
        long restored = System.nanoTime();

        long heap = Long.parseLong(childLog.lines().filter(l -> l.startsWith("maxMemory=")).findFirst().orElseThrow()
                .substring("maxMemory=".length()));
        assertTrue(Files.size(in) > heap, "input " + Files.size(in) + " must exceed the child's heap " + heap);

        try (ImageJStackSource src = ImageJStackSource.open(out)) {
            assertEquals(new StackShape(2 * SIZE, 2 * SIZE, 1, PLANES, 1, 32), src.shape());
            assertEquals(2.0, src.calibration().pixelWidth(), 1e-9);
            assertEquals(50.0, src.calibration().pixelDepth(), 1e-9);
            for (int z : new int[] {0, 1, PLANES / 2, PLANES - 1}) {
                FloatPlane p = src.readPlane(0, z, 0);
                for (int Y = 0; Y < 2 * SIZE; Y += 61) {
                    for (int X = 0; X < 2 * SIZE; X += 37) {
                        assertEquals(value(X / 2, Y / 2, z), p.get(X, Y), 1e-3, "z=" + z);
                    }
                }
            }
        }
        assertEquals(FULL, Files.size(out) > 0xffffffffL, "the full run's output passes 4 GiB");
        long checked = System.nanoTime();
        System.err.print(childLog);
        System.err.printf("BigStackTest: write input %.1f s, restore in child %.1f s, check %.1f s (%s, input %d MiB)%n",
                (written - t0) / 1e9, (restored - written) / 1e9, (checked - restored) / 1e9, HEAP,
                Files.size(in) >> 20);
        RestorerTest.assertNoOutput(out.resolveSibling("not-written"));
    }
}
