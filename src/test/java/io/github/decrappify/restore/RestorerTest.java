package io.github.decrappify.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.TiffStackWriter;
import io.github.decrappify.model.BundleSpec.FrameAxis;
import io.github.decrappify.restore.RestoreSettings.OutType;
import io.github.decrappify.tile.FakeModels.Identity;
import io.github.decrappify.testutil.RawTiff;
import io.github.decrappify.tile.TileModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestorerTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static final Calibration CAL = new Calibration(0.8, 0.8, 2.0, "micron", 1.5, "sec");

    static float value(int x, int y, int c, int z, int t) {
        return 3 * x + 0.5f * y + 1000 * c + 200 * z + 40 * t;
    }

    /** A float hyperstack file whose pixels encode their position. */
    Path hyperstack(String name, int w, int h, int nc, int nz, int nt) throws Exception {
        Path file = dir.resolve(name);
        try (TiffStackWriter writer = new TiffStackWriter(file, new StackShape(w, h, nc, nz, nt, 32), CAL, "")) {
            for (int t = 0; t < nt; t++) {
                for (int z = 0; z < nz; z++) {
                    for (int c = 0; c < nc; c++) {
                        FloatPlane p = FloatPlane.zeros(w, h, 1);
                        for (int y = 0; y < h; y++) {
                            for (int x = 0; x < w; x++) {
                                p.set(x, y, value(x, y, c, z, t));
                            }
                        }
                        writer.writePlane(c, z, t, p);
                    }
                }
            }
            writer.commit();
        }
        return file;
    }

    static RestoreSettings settings(int scale) {
        return RestoreSettings.defaults(scale).withTiling(32, 4);
    }

    /** Nothing named like the output, nor its temporary file, exists. */
    static void assertNoOutput(Path out) {
        assertFalse(Files.exists(out), out + " exists");
        if (!Files.isDirectory(out.toAbsolutePath().getParent())) {
            return;
        }
        try (Stream<Path> s = Files.list(out.toAbsolutePath().getParent())) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("." + out.getFileName() + ".")).toList(), "temporary or lock file left behind");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void restoresHyperstackPlaneByPlaneWithScaledCalibration() throws Exception {
        Path in = hyperstack("in.tif", 70, 45, 2, 3, 2);
        Path out = dir.resolve("sub/out.tif");
        List<String> planes = new ArrayList<>();
        int[] tiles = new int[1];
        RestoreListener listener = new RestoreListener() {
            @Override
            public void plane(int done, int total) {
                planes.add(done + "/" + total);
            }

            @Override
            public void tile(int done, int total) {
                tiles[0]++;
            }
        };
        Restorer restorer = new Restorer(new Identity(2, 16, 1, 0), settings(2), listener);
        assertEquals(Restorer.Outcome.RESTORED, restorer.restoreFile(in, out));
        assertEquals(12, planes.size());
        assertEquals("12/12", planes.get(11));
        assertEquals(12 * 3 * 2, tiles[0], "70x45 in 32-pixel tiles: 3x2 tiles per plane");

        ImagePlus imp = IJ.openImage(out.toString());
        assertEquals(140, imp.getWidth());
        assertEquals(90, imp.getHeight());
        assertEquals(2, imp.getNChannels());
        assertEquals(3, imp.getNSlices());
        assertEquals(2, imp.getNFrames());
        assertEquals(32, imp.getBitDepth());
        assertEquals(0.4, imp.getCalibration().pixelWidth, 1e-9);
        assertEquals(2.0, imp.getCalibration().pixelDepth, 1e-12);
        assertEquals(1.5, imp.getCalibration().frameInterval, 1e-12);
        assertTrue(imp.getInfoProperty().contains("model Identity (scale 2)"), imp.getInfoProperty());
        try (ImageJStackSource src = ImageJStackSource.open(out)) {
            for (int t = 0; t < 2; t++) {
                for (int z = 0; z < 3; z++) {
                    for (int c = 0; c < 2; c++) {
                        FloatPlane p = src.readPlane(c, z, t);
                        for (int Y = 0; Y < 90; Y += 7) {
                            for (int X = 0; X < 140; X += 5) {
                                assertEquals(value(X / 2, Y / 2, c, z, t), p.get(X, Y), 1e-3);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void modelSeesPercentileNormalisedInput() throws Exception {
        ByteProcessor bp = new ByteProcessor(256, 40);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 256; x++) {
                bp.set(x, y, x);
            }
        }
        double[] seen = {Double.MAX_VALUE, -Double.MAX_VALUE};
        TileModel recording = new Identity(1, 8, 1, 0) {
            @Override
            public FloatPlane predict(FloatPlane input) {
                for (float v : input.data()) {
                    seen[0] = Math.min(seen[0], v);
                    seen[1] = Math.max(seen[1], v);
                }
                return super.predict(input);
            }
        };
        Path out = dir.resolve("ramp.tif");
        RestoreSettings s = RestoreSettings.defaults(1).withOutType(OutType.SAME);
        try (var src = ImageJStackSource.wrap(new ImagePlus("ramp", bp))) {
            new Restorer(recording, s).restore(src, out);
        }
        // 10240 pixels, 40 of each level: percentile 1 is at rank 102.39 (level 2), 99.8 at rank
        // 10218.52 (level 255); exact for 8-bit data.
        assertEquals((0 - 2) / 253.0, seen[0], 1e-6);
        assertEquals(1, seen[1], 1e-6);
        ImagePlus back = IJ.openImage(out.toString());
        assertEquals(8, back.getBitDepth());
        assertEquals(37, back.getProcessor().get(37, 5));
        assertEquals(255, back.getProcessor().get(255, 39));
    }

    @Test
    void sixteenBitSameTypeRoundTrips() throws Exception {
        ShortProcessor sp = new ShortProcessor(50, 33);
        for (int i = 0; i < 50 * 33; i++) {
            sp.set(i, (i * 37) % 65536);
        }
        Path in = dir.resolve("u16.tif");
        IJ.saveAsTiff(new ImagePlus("u16", sp), in.toString());
        Path out = dir.resolve("u16-x4.tif");
        new Restorer(new Identity(4, 16, 1, 0), settings(4).withOutType(OutType.SAME)).restoreFile(in, out);
        ImagePlus back = IJ.openImage(out.toString());
        assertEquals(16, back.getBitDepth());
        assertEquals(200, back.getWidth());
        for (int i = 0; i < 50 * 33; i += 13) {
            int x = i % 50, y = i / 50;
            assertEquals(sp.get(x, y), back.getProcessor().get(4 * x + 3, 4 * y + 1));
        }
    }

    @Test
    void multiFrameModelGetsMirroredNeighboursAlongZ() throws Exception {
        Path in = hyperstack("z.tif", 20, 16, 1, 4, 2);
        for (int k = 0; k < 3; k++) {
            Path out = dir.resolve("z" + k + ".tif");
            TileModel neighbour = new Identity(1, 8, 3, k); // returns the plane at offset k - 1
            new Restorer(neighbour, settings(1).withFrames(3, FrameAxis.Z)).restoreFile(in, out);
            try (var src = ImageJStackSource.open(out)) {
                assertEquals(4, src.slices());
                for (int t = 0; t < 2; t++) {
                    for (int z = 0; z < 4; z++) {
                        int expected = FrameWindow.mirror(z + k - 1, 4);
                        assertEquals(value(7, 5, 0, expected, t), src.readPlane(0, z, t).get(7, 5), 1e-3,
                                "k=" + k + " z=" + z);
                    }
                }
            }
        }
    }

    @Test
    void multiFrameModelAlongT() throws Exception {
        Path in = hyperstack("t.tif", 20, 16, 2, 2, 5);
        Path out = dir.resolve("t-out.tif");
        new Restorer(new Identity(1, 8, 5, 4), settings(1).withFrames(5, FrameAxis.T)).restoreFile(in, out);
        try (var src = ImageJStackSource.open(out)) {
            for (int c = 0; c < 2; c++) {
                for (int z = 0; z < 2; z++) {
                    for (int t = 0; t < 5; t++) {
                        int expected = FrameWindow.mirror(t + 2, 5); // 3 → 3, 5 → 3, 6 → 2
                        assertEquals(value(3, 2, c, z, expected), src.readPlane(c, z, t).get(3, 2), 1e-3);
                    }
                }
            }
        }
    }

    @Test
    void frameWindowMirrorsWithoutRepeatingTheEdge() {
        assertEquals(List.of(1, 0, 1), box(FrameWindow.around(0, 3, 5)));
        assertEquals(List.of(3, 4, 3), box(FrameWindow.around(4, 3, 5)));
        assertEquals(List.of(2, 1, 0, 1, 2), box(FrameWindow.around(0, 5, 3)));
        assertEquals(List.of(0, 0, 0), box(FrameWindow.around(0, 3, 1)));
        assertEquals(List.of(1, 0, 1, 0, 1), box(FrameWindow.around(1, 5, 2)));
    }

    private static List<Integer> box(int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    // ---- bad input: each gives a one-line reason and leaves no output ----

    private BadInputException refused(Path in, Path out, RestoreSettings s) {
        return assertThrows(BadInputException.class,
                () -> new Restorer(new Identity(2, 16, 1, 0), s).restoreFile(in, out));
    }

    @Test
    void missingInput() {
        Path out = dir.resolve("out.tif");
        var e = refused(dir.resolve("missing.tif"), out, settings(2));
        assertTrue(e.getMessage().startsWith("File not found"), e.getMessage());
        assertNoOutput(out);
    }

    @Test
    void corruptInput() throws Exception {
        Path in = Files.write(dir.resolve("corrupt.tif"), new byte[] {'I', 'I', 42, 0, (byte) 0xff, 0x7f, 0, 0, 1, 2});
        Path out = dir.resolve("out.tif");
        var e = refused(in, out, settings(2));
        assertTrue(e.getMessage().contains("corrupt.tif") && e.getMessage().contains("TIFF"), e.getMessage());
        assertNoOutput(out);
    }

    @Test
    void rgbInput() throws Exception {
        Path in = dir.resolve("rgb.tif");
        IJ.saveAsTiff(new ImagePlus("rgb", new ColorProcessor(64, 64)), in.toString());
        Path out = dir.resolve("out.tif");
        var e = refused(in, out, settings(2));
        assertTrue(e.getMessage().contains("RGB") && e.getMessage().contains("convert to 8/16/32-bit grayscale"),
                e.getMessage());
        assertNoOutput(out);
    }

    @Test
    void nanInputIsRefusedBeforeAnythingIsWritten() throws Exception {
        ImageStack stack = new ImageStack(40, 40);
        for (int z = 0; z < 3; z++) {
            FloatProcessor fp = new FloatProcessor(40, 40);
            if (z == 2) {
                fp.setf(11, 12, Float.NaN);
            }
            stack.addSlice(fp);
        }
        Path in = dir.resolve("nan.tif");
        IJ.saveAsTiff(new ImagePlus("nan", stack), in.toString());
        Path out = dir.resolve("out.tif");
        var e = refused(in, out, settings(2));
        assertTrue(e.getMessage().contains("NaN pixel at x=11, y=12") && e.getMessage().contains("z=3"), e.getMessage());
        assertNoOutput(out);
    }

    @Test
    void tooSmallForTheModel() throws Exception {
        Path in = hyperstack("tiny.tif", 7, 30, 1, 1, 1);
        Path out = dir.resolve("out.tif");
        var e = refused(in, out, settings(2));
        assertTrue(e.getMessage().contains("is 7x30 pixels; model Identity needs at least 8x8"), e.getMessage());
        assertNoOutput(out);
    }

    @Test
    void outputEqualToInputNeedsOverwrite() throws Exception {
        Path in = hyperstack("same.tif", 32, 32, 1, 1, 1);
        long before = Files.size(in);
        var e = refused(in, in, settings(2));
        assertTrue(e.getMessage().contains("is the input file"), e.getMessage());
        var e2 = refused(in, dir.resolve("./x/../same.tif"), settings(2));
        assertTrue(e2.getMessage().contains("is the input file"), e2.getMessage());
        assertEquals(before, Files.size(in), "input untouched");
        assertNoOutput(dir.resolve("same.tif.x"));

        new Restorer(new Identity(2, 16, 1, 0), settings(2).withOverwrite(true)).restoreFile(in, in);
        assertEquals(64, IJ.openImage(in.toString()).getWidth(), "replaced in place when allowed");
    }

    @Test
    void unwritableOutputFolder() throws Exception {
        Path in = hyperstack("ok.tif", 32, 32, 1, 1, 1);
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        Path out = notAFolder.resolve("out.tif");
        var e = refused(in, out, settings(2));
        assertTrue(e.getMessage().startsWith("Cannot create output folder"), e.getMessage());
        assertNoOutput(out);

        Path locked = Files.createDirectory(dir.resolve("locked"));
        locked.toFile().setWritable(false, false);
        try {
            if (!Files.isWritable(locked)) { // root ignores permissions; then only the case above applies
                Path out2 = locked.resolve("out.tif");
                var e2 = refused(in, out2, settings(2));
                assertTrue(e2.getMessage().contains("not writable"), e2.getMessage());
                assertNoOutput(out2);
            }
        } finally {
            locked.toFile().setWritable(true, false);
        }
    }

    @Test
    void existingOutputIsKeptUnlessOverwriteOrSkipped() throws Exception {
        Path in = hyperstack("a.tif", 32, 32, 1, 2, 1);
        Path out = dir.resolve("a-out.tif");
        Files.writeString(out, "precious");
        var e = refused(in, out, settings(2));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("precious", Files.readString(out));

        var e2 = refused(in, out, settings(2).withSkipExisting(true));
        assertTrue(e2.getMessage().contains("does not match"), e2.getMessage());

        Restorer overwriting = new Restorer(new Identity(2, 16, 1, 0), settings(2).withOverwrite(true));
        assertEquals(Restorer.Outcome.RESTORED, overwriting.restoreFile(in, out));
        Restorer skipping = new Restorer(new Identity(2, 16, 1, 0), settings(2).withSkipExisting(true));
        assertEquals(Restorer.Outcome.SKIPPED, skipping.restoreFile(in, out));
    }

    @Test
    void modelFailureLeavesNoPartialOutput() throws Exception {
        Path in = hyperstack("b.tif", 32, 32, 1, 3, 1);
        Path out = dir.resolve("b-out.tif");
        int[] calls = new int[1];
        TileModel failing = new Identity(2, 16, 1, 0) {
            @Override
            public FloatPlane predict(FloatPlane input) {
                if (++calls[0] == 2) {
                    throw new IllegalStateException("out of memory on the GPU");
                }
                return super.predict(input);
            }
        };
        assertThrows(IllegalStateException.class, () -> new Restorer(failing, settings(2).withTiling(0, 0))
                .restoreFile(in, out));
        assertNoOutput(out);
    }

    @Test
    void settingsMustMatchTheModel() {
        assertThrows(IllegalArgumentException.class, () -> new Restorer(new Identity(2, 16, 1, 0), settings(4)));
        assertThrows(IllegalArgumentException.class,
                () -> new Restorer(new Identity(2, 16, 1, 0), settings(2).withFrames(3, FrameAxis.Z)));
        assertThrows(IllegalArgumentException.class, () -> settings(2).withFrames(2, FrameAxis.Z));
        assertThrows(IllegalArgumentException.class, () -> settings(2).withPercentiles(50, 10));
    }

    @Test
    void folderModeContinuesPastBadFilesAndCountsThem() throws Exception {
        Path in = Files.createDirectory(dir.resolve("in"));
        Path out = dir.resolve("out");
        Files.move(hyperstack("one.tif", 40, 20, 1, 2, 1), in.resolve("one.tif"));
        ByteProcessor bp = new ByteProcessor(33, 17);
        bp.set(5, 6, 99);
        new ij.io.FileSaver(new ImagePlus("two", bp)).saveAsPng(in.resolve("two.png").toString());
        Files.write(in.resolve("broken.tif"), new byte[] {1, 2, 3, 4, 5});
        Files.writeString(in.resolve("notes.txt"), "not an image, not a failure");
        Files.writeString(in.resolve(".hidden.tif"), "ignored");

        List<String> messages = new ArrayList<>();
        RestoreListener listener = new RestoreListener() {
            @Override
            public void message(String text) {
                messages.add(text);
            }
        };
        Restorer restorer = new Restorer(new Identity(2, 16, 1, 0), settings(2).withSkipExisting(true), listener);
        FolderReport first = restorer.restoreFolder(in, out);
        assertEquals(2, first.restored());
        assertEquals(0, first.skipped());
        assertEquals(1, first.failureCount());
        assertEquals(in.resolve("broken.tif").toAbsolutePath(), first.failures().get(0).input());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("Failed broken.tif")), messages.toString());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("one.tif", "two.tif"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(99, IJ.openImage(out.resolve("two.tif").toString()).getProcessor().getf(11, 13), 1e-3);

        FolderReport second = restorer.restoreFolder(in, out);
        assertEquals(0, second.restored());
        assertEquals(2, second.skipped());
        assertEquals(1, second.failureCount());
    }

    @Test
    void folderCollisionsAreFoundBeforeAnythingIsWritten() throws Exception {
        // Issue 13: with -o = -i and overwrite, b.png's restoration replaced the input b.tif, which was then
        // reported as "another input maps to b.tif".
        Path in = Files.createDirectory(dir.resolve("same"));
        Files.move(hyperstack("a.tif", 40, 20, 1, 1, 1), in.resolve("a.tif"));
        Files.move(hyperstack("b.tif", 40, 20, 1, 1, 1), in.resolve("b.tif"));
        ByteProcessor bp = new ByteProcessor(33, 17);
        bp.set(5, 6, 99);
        new ij.io.FileSaver(new ImagePlus("b", bp)).saveAsPng(in.resolve("b.png").toString());
        byte[] b = Files.readAllBytes(in.resolve("b.tif"));
        byte[] png = Files.readAllBytes(in.resolve("b.png"));
        Restorer restorer = new Restorer(new Identity(2, 16, 1, 0), settings(2).withOverwrite(true));
        FolderReport r = restorer.restoreFolder(in, in);
        assertEquals(1, r.restored(), "a.tif replaces itself, as asked");
        assertEquals(List.of("b.png", "b.tif"), r.failures().stream().map(f -> f.input().getFileName().toString()).toList());
        for (FolderReport.Failure f : r.failures()) {
            assertEquals("b.png and b.tif would all be written to b.tif; rename one of them", f.reason());
        }
        assertArrayEquals(b, Files.readAllBytes(in.resolve("b.tif")), "an input is never replaced by another's output");
        assertArrayEquals(png, Files.readAllBytes(in.resolve("b.png")));
        assertEquals(80, IJ.openImage(in.resolve("a.tif").toString()).getWidth());

        // Two writers of one file are found through another spelling of the folder too (a link to it).
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.move(hyperstack("c.tif", 40, 20, 1, 1, 1), other.resolve("c.tif"));
        Files.move(hyperstack("c_uncertainty.tif", 40, 20, 1, 1, 1), other.resolve("c_uncertainty.tif"));
        byte[] u = Files.readAllBytes(other.resolve("c_uncertainty.tif"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), other);
        FolderReport tta = new Restorer(new Identity(2, 16, 1, 0), settings(2).withOverwrite(true)).optTta(true)
                .restoreFolder(other, link);
        assertEquals(0, tta.restored());
        assertEquals(List.of("c.tif", "c_uncertainty.tif"),
                tta.failures().stream().map(f -> f.input().getFileName().toString()).toList());
        assertEquals("c.tif and c_uncertainty.tif would all be written to c_uncertainty.tif; rename one of them",
                tta.failures().get(0).reason());
        assertArrayEquals(u, Files.readAllBytes(other.resolve("c_uncertainty.tif")));
    }

    @Test
    void anEmptyFolderAndDanglingLinksAreReported() throws Exception {
        Path in = Files.createDirectory(dir.resolve("in"));
        Files.writeString(in.resolve("notes.txt"), "no image");
        Restorer restorer = new Restorer(new Identity(2, 16, 1, 0), settings(2));
        var e = assertThrows(BadInputException.class, () -> restorer.restoreFolder(in, dir.resolve("o")));
        assertTrue(e.getMessage().startsWith("Input folder " + in.toAbsolutePath() + " holds no images (by extension: bmp,"),
                e.getMessage());
        Files.move(hyperstack("a.tif", 40, 20, 1, 1, 1), in.resolve("a.tif"));
        Files.createSymbolicLink(in.resolve("gone.tif"), dir.resolve("moved-away.tif"));
        FolderReport r = restorer.restoreFolder(in, dir.resolve("o"));
        assertEquals(1, r.restored());
        assertEquals(1, r.failureCount());
        assertEquals("gone.tif is a link to a missing file", r.failures().get(0).reason());
    }

    @Test
    void folderModeRefusesBadFolders() throws Exception {
        Restorer restorer = new Restorer(new Identity(2, 16, 1, 0), settings(2));
        var e = assertThrows(BadInputException.class, () -> restorer.restoreFolder(dir.resolve("none"), dir.resolve("o")));
        assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
        Path file = Files.writeString(dir.resolve("f"), "");
        var e2 = assertThrows(BadInputException.class, () -> restorer.restoreFolder(dir, file));
        assertTrue(e2.getMessage().contains("is a file"), e2.getMessage());
    }

    /** Issue 13 item 9: a signed 16-bit input came out shifted by +32768 (ImageJ's raw value). */
    @Test
    void signedIntegerInputsAreRestoredFromTheirValuesAsFloat() throws Exception {
        int w = 32, h = 32;
        long[] values = new long[w * h];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 53L - 30000; // -30000 .. 24219
        }
        Path in = RawTiff.write(dir.resolve("signed.tif"), w, h, 16, RawTiff.SIGNED, values);
        for (OutType type : OutType.values()) {
            List<String> messages = new ArrayList<>();
            Path out = dir.resolve("signed_" + type + ".tif");
            new Restorer(new Identity(2, 16, 1, 0), settings(2).withOutType(type), new RestoreListener() {
                @Override
                public void message(String text) {
                    messages.add(text);
                }
            }).restoreFile(in, out);
            assertTrue(messages.contains("signed.tif holds 16-bit signed integers; the restoration is written as 32-bit float"),
                    messages.toString());
            ImagePlus imp = IJ.openImage(out.toString());
            assertEquals(32, imp.getBitDepth(), "negative values need float, also for --out-type same");
            for (int y = 0; y < 2 * h; y += 7) {
                for (int x = 0; x < 2 * w; x += 5) {
                    assertEquals(values[(y / 2) * w + x / 2], imp.getProcessor().getf(x, y), 0.02, x + "," + y);
                }
            }
        }
        Path i8 = RawTiff.write(dir.resolve("i8.tif"), 16, 16, 8, RawTiff.SIGNED,
                java.util.stream.LongStream.range(0, 256).map(v -> v - 128).toArray());
        Path out8 = dir.resolve("i8_out.tif");
        new Restorer(new Identity(1, 16, 1, 0), settings(1)).restoreFile(i8, out8);
        ImagePlus r8 = IJ.openImage(out8.toString());
        assertEquals(-128, r8.getProcessor().getf(0, 0), 1e-3);
        assertEquals(127, r8.getProcessor().getf(15, 15), 1e-3, "not anti-correlated with the input");
    }

    /** A source of any size that holds no pixels: for checks made before the first plane is read. */
    static ImageStackSource huge(int w, int h) {
        return new ImageStackSource() {
            public int width() { return w; }
            public int height() { return h; }
            public int channels() { return 1; }
            public int slices() { return 1; }
            public int frames() { return 1; }
            public int bitDepth() { return 8; }
            public Calibration calibration() { return Calibration.UNCALIBRATED; }
            public String title() { return "big.tif"; }
            public FloatPlane readPlane(int c, int z, int t) { throw new AssertionError("read before the size check"); }
            public void close() { }
        };
    }

    /** Smaller item of issue 13: the 2 GiB message named the output's shape, not the input nor a way out. */
    @Test
    void anOutputPlaneBeyondWhatATiffHoldsIsRefusedNamingTheInput() throws Exception {
        Path out = dir.resolve("big_x4.tif");
        Restorer r = new Restorer(new Identity(4, 16, 1, 0), settings(4));
        var e = assertThrows(BadInputException.class, () -> r.restore(huge(12000, 12000), out));
        assertEquals("big.tif (12000x12000) restored at x4 gives planes of 48000x48000 pixels (8.6 GiB), more than a TIFF"
                + " plane can hold (2 GiB); write OME-Zarr (-o NAME.ome.zarr), which is stored in blocks, or crop the input",
                e.getMessage());
        assertNoOutput(out);
        // In memory (Fiji) the limit is a plane's 2^31 pixels.
        var e2 = assertThrows(BadInputException.class, () -> r.restore(huge(30000, 30000), (c, z, t, p) -> { }));
        assertTrue(e2.getMessage().startsWith("big.tif (30000x30000) restored at x4 gives planes of 120000x120000 pixels")
                && e2.getMessage().endsWith("crop the input or split it into tiles"), e2.getMessage());
    }
}
