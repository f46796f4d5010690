package io.github.decrappify.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TiffStackWriterTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A value unique to each pixel and plane, exactly representable as float. */
    static float value(int x, int y, int c, int z, int t) {
        return x + 100 * y + 10_000 * c + 20_000 * z + 100_000 * t + 0.25f;
    }

    static FloatPlane plane(int w, int h, int c, int z, int t) {
        FloatPlane p = FloatPlane.zeros(w, h, 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p.set(x, y, value(x, y, c, z, t));
            }
        }
        return p;
    }

    static final Calibration CAL = new Calibration(0.125, 0.25, 0.5, "\u00B5m", 2.5, "min");

    private Path writeHyperstack(String name, boolean singleDirectory, String info) throws IOException {
        StackShape shape = new StackShape(37, 23, 2, 3, 2, 32);
        Path out = dir.resolve(name);
        try (TiffStackWriter w = new TiffStackWriter(out, shape, CAL, info, singleDirectory)) {
            // Deliberately out of order: positions are fixed in advance.
            for (int t = shape.frames() - 1; t >= 0; t--) {
                for (int z = 0; z < shape.slices(); z++) {
                    for (int c = shape.channels() - 1; c >= 0; c--) {
                        w.writePlane(c, z, t, plane(37, 23, c, z, t));
                    }
                }
            }
            w.commit();
        }
        return out;
    }

    private static void assertHyperstack(ImagePlus imp) {
        assertEquals(37, imp.getWidth());
        assertEquals(23, imp.getHeight());
        assertEquals(2, imp.getNChannels());
        assertEquals(3, imp.getNSlices());
        assertEquals(2, imp.getNFrames());
        assertEquals(32, imp.getBitDepth());
        ij.measure.Calibration cal = imp.getCalibration();
        assertEquals(0.125, cal.pixelWidth, 1e-9);
        assertEquals(0.25, cal.pixelHeight, 1e-9);
        assertEquals(0.5, cal.pixelDepth, 1e-12);
        assertEquals("\u00B5m", cal.getUnit());
        assertEquals(2.5, cal.frameInterval, 1e-12);
        assertEquals("min", cal.getTimeUnit());
        for (int t = 0; t < 2; t++) {
            for (int z = 0; z < 3; z++) {
                for (int c = 0; c < 2; c++) {
                    var ip = imp.getStack().getProcessor(imp.getStackIndex(c + 1, z + 1, t + 1));
                    assertEquals(value(0, 0, c, z, t), ip.getf(0, 0), 0);
                    assertEquals(value(36, 22, c, z, t), ip.getf(36, 22), 0);
                    assertEquals(value(5, 7, c, z, t), ip.getf(5, 7), 0);
                }
            }
        }
    }

    @Test
    void imageJOpensHyperstackWithCalibrationInfoAndValues() throws Exception {
        Path out = writeHyperstack("hyper.tif", false, "Restored by model em-x4 (scale 4)");
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporary file");
        }
        ImagePlus imp = IJ.openImage(out.toString());
        assertHyperstack(imp);
        assertEquals("Restored by model em-x4 (scale 4)", imp.getInfoProperty());
        // Display range covers all written values, not just the first plane.
        assertEquals(value(0, 0, 0, 0, 0), imp.getDisplayRangeMin(), 1e-3);
        assertEquals(value(36, 22, 1, 2, 1), imp.getDisplayRangeMax(), 1e-1);
    }

    @Test
    void imageJVirtualStackOpensIt() throws Exception {
        Path out = writeHyperstack("virtual.tif", false, "");
        ImagePlus imp = IJ.openVirtual(out.toString());
        assertTrue(imp.getStack().isVirtual());
        assertHyperstack(imp);
    }

    @Test
    void ownSourceReadsItBack() throws Exception {
        Path out = writeHyperstack("source.tif", false, "made by test");
        try (ImageJStackSource src = ImageJStackSource.open(out)) {
            assertEquals(new StackShape(37, 23, 2, 3, 2, 32), src.shape());
            assertEquals(0.125, src.calibration().pixelWidth(), 1e-9);
            assertEquals(0.25, src.calibration().pixelHeight(), 1e-9);
            assertEquals(0.5, src.calibration().pixelDepth(), 1e-12);
            assertEquals("\u00B5m", src.calibration().unit());
            assertEquals(2.5, src.calibration().frameInterval(), 1e-12);
            assertEquals("made by test", src.info());
            for (int t = 0; t < 2; t++) {
                for (int z = 0; z < 3; z++) {
                    for (int c = 0; c < 2; c++) {
                        assertEquals(plane(37, 23, c, z, t), src.readPlane(c, z, t));
                    }
                }
            }
        }
    }

    /** The layout used beyond 4 GiB (first directory only), checked on a small file. */
    @Test
    void singleDirectoryLayoutIsReadFromDescription() throws Exception {
        Path out = writeHyperstack("single.tif", true, "x");
        assertEquals(1, directoryStripOffsets(out).size());
        assertHyperstack(IJ.openImage(out.toString()));
        assertHyperstack(IJ.openVirtual(out.toString()));
        try (ImageJStackSource src = ImageJStackSource.open(out)) {
            assertEquals(plane(37, 23, 1, 2, 1), src.readPlane(1, 2, 1));
        }
    }

    @Test
    void everyPlaneHasItsOwnDirectoryBelow4GiB() throws Exception {
        Path out = writeHyperstack("ifds.tif", false, "");
        List<Long> offsets = directoryStripOffsets(out);
        assertEquals(12, offsets.size());
        long planeBytes = 37 * 23 * 4;
        for (int i = 1; i < offsets.size(); i++) {
            assertEquals(offsets.get(0) + i * planeBytes, offsets.get(i));
        }
        // Trailing directories end the file exactly.
        StackShape shape = new StackShape(37, 23, 2, 3, 2, 32);
        assertTrue(Files.size(out) > offsets.get(11) + planeBytes);
        assertEquals(0, offsets.get(0) % 16);
        assertTrue(shape.planeBytes() == planeBytes);
    }

    @Test
    void directoriesAreDroppedOnlyWhenOffsetsWouldOverflow() {
        StackShape below = new StackShape(1024, 1024, 1, 1000, 1, 32); // 3.9 GiB
        StackShape above = new StackShape(1024, 1024, 1, 1025, 1, 32); // 4.004 GiB
        TiffLayout small = new TiffLayout(below, true, 200, 10, false);
        TiffLayout big = new TiffLayout(above, true, 200, 10, false);
        assertTrue(small.trailingDirectories());
        assertTrue(small.fileBytes() <= 0xffffffffL);
        assertFalse(big.trailingDirectories());
        assertEquals(big.planeOffset(1024) + 4L * 1024 * 1024, big.fileBytes());
        assertTrue(big.fileBytes() > 0xffffffffL);
    }

    @Test
    void integerOutputsAreRoundedAndClamped() throws Exception {
        float[] values = {-3f, 0.4f, 2.5f, 254.6f, 300f, 65535.4f, 70000f, Float.NaN};
        FloatPlane p = new FloatPlane(values.length, 1, values.clone());
        for (int bits : new int[] {8, 16}) {
            Path out = dir.resolve("int" + bits + ".tif");
            try (TiffStackWriter w = new TiffStackWriter(out, new StackShape(values.length, 1, 1, 1, 1, bits),
                    Calibration.UNCALIBRATED, "")) {
                w.writePlane(0, 0, 0, p);
                w.commit();
            }
            ImagePlus imp = IJ.openImage(out.toString());
            assertEquals(bits, imp.getBitDepth());
            float[] expected = bits == 8 ? new float[] {0, 0, 3, 255, 255, 255, 255, 0}
                    : new float[] {0, 0, 3, 255, 300, 65535, 65535, 0};
            for (int i = 0; i < values.length; i++) {
                assertEquals(expected[i], imp.getProcessor().getf(i), 0, "bits " + bits + " value " + values[i]);
            }
            assertFalse(imp.getCalibration().scaled());
        }
    }

    @Test
    void closeWithoutCommitLeavesNothing() throws Exception {
        Path out = dir.resolve("abandoned.tif");
        TiffStackWriter w = new TiffStackWriter(out, new StackShape(8, 8, 1, 2, 1, 32), CAL, "");
        w.writePlane(0, 0, 0, FloatPlane.zeros(8, 8, 1));
        assertTrue(Files.exists(w.temporaryFile()));
        assertTrue(w.temporaryFile().getFileName().toString().matches("\\.abandoned\\.tif\\.\\d+\\.part"),
                w.temporaryFile().toString());
        assertThrows(IllegalStateException.class, w::commit, "one plane missing");
        w.close();
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(w.temporaryFile()));
    }

    @Test
    void aLinkPlantedAtTheOldTemporaryNameIsNeverFollowed() throws Exception {
        // Issue 13: a symlink at result.tif.part had its target overwritten.
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path out = dir.resolve("result.tif");
        Files.createSymbolicLink(dir.resolve("result.tif.part"), victim);
        Files.createSymbolicLink(dir.resolve(".result.tif.42.part"), victim); // named like a live writer's temp
        try (TiffStackWriter w = new TiffStackWriter(out, new StackShape(4, 4, 1, 1, 1, 8), Calibration.UNCALIBRATED, "")) {
            w.writePlane(0, 0, 0, FloatPlane.zeros(4, 4, 1));
            w.commit();
        }
        assertEquals("precious", Files.readString(victim));
        assertEquals(4, IJ.openImage(out.toString()).getWidth());
        assertTrue(Files.isSymbolicLink(dir.resolve("result.tif.part")), "someone else's file is left alone");
    }

    @Test
    void aSecondWriterOfTheSameOutputIsRefused() throws Exception {
        // Issue 13: two restores to one output mixed their planes (NaN and zeros) and both said "Wrote".
        Path out = dir.resolve("shared.tif");
        StackShape shape = new StackShape(4, 4, 1, 2, 1, 32);
        try (TiffStackWriter first = new TiffStackWriter(out, shape, Calibration.UNCALIBRATED, "")) {
            IOException e = assertThrows(IOException.class, () -> new TiffStackWriter(dir.resolve("x/../shared.tif"), shape,
                    Calibration.UNCALIBRATED, ""));
            assertEquals("another writer is writing " + out.toAbsolutePath() + " right now; wait for it to finish or choose"
                    + " another output", e.getMessage());
            first.writePlane(0, 0, 0, FloatPlane.zeros(4, 4, 1));
            first.writePlane(0, 1, 0, FloatPlane.zeros(4, 4, 1));
            first.commit();
        }
        // Released on commit: the next writer goes ahead, and nothing of the lock stays.
        try (TiffStackWriter next = new TiffStackWriter(out, shape, Calibration.UNCALIBRATED, "")) {
            next.close();
        }
        try (var left = Files.list(dir)) {
            assertEquals(List.of("shared.tif"), left.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void anotherProcessWritingTheOutputIsRefusedAndSigtermLeavesNoTemporaryFile() throws Exception {
        Path out = dir.resolve("held.tif");
        String jvm = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(jvm, "-cp", System.getProperty("java.class.path"), HoldWriterMain.class.getName(),
                out.toString()).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
            assertEquals("writing", r.readLine(), "the child opened its writer");
            IOException e = assertThrows(IOException.class, () -> new TiffStackWriter(out, new StackShape(4, 4, 1, 1, 1, 8),
                    Calibration.UNCALIBRATED, ""));
            assertTrue(e.getMessage().startsWith("another writer is writing"), e.getMessage());
        } finally {
            child.destroy(); // SIGTERM
        }
        assertTrue(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "the child's shutdown removed its temporary and lock files");
        }
    }

    @Test
    void commitReplacesAnExistingTargetAtomically() throws Exception {
        Path out = dir.resolve("replace.tif");
        Files.writeString(out, "old");
        try (TiffStackWriter w = new TiffStackWriter(out, new StackShape(4, 4, 1, 1, 1, 8), Calibration.UNCALIBRATED, "")) {
            w.writePlane(0, 0, 0, FloatPlane.zeros(4, 4, 1));
            assertEquals("old", Files.readString(out), "target untouched until commit");
            w.commit();
        }
        assertEquals(4, IJ.openImage(out.toString()).getWidth());
    }

    /** Walks the chain of image directories, returning each one's StripOffsets value. */
    static List<Long> directoryStripOffsets(Path file) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] all = new byte[(int) raf.length()];
            raf.readFully(all);
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals('I', b.get(0));
            assertEquals(42, b.getShort(2));
            long ifd = b.getInt(4) & 0xffffffffL;
            while (ifd != 0) {
                int n = b.getShort((int) ifd);
                int previousTag = -1;
                for (int i = 0; i < n; i++) {
                    int at = (int) ifd + 2 + 12 * i;
                    int tag = b.getShort(at) & 0xffff;
                    assertTrue(tag > previousTag, "tags ascending");
                    previousTag = tag;
                    if (tag == 273) {
                        offsets.add(b.getInt(at + 8) & 0xffffffffL);
                    }
                }
                ifd = b.getInt((int) ifd + 2 + 12 * n) & 0xffffffffL;
            }
        }
        return offsets;
    }
}
