package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.decrappify.model.RdfYaml;
import io.github.decrappify.testutil.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code decrappify restore} end to end with a real (untrained) unet-s bundle: bad inputs and successes. */
class RestoreCommandTest {

    static final String MODEL = "unet-x2";

    @TempDir
    static Path shared;
    static Path models;
    static Path bundle;

    @TempDir
    Path dir;

    @BeforeAll
    static void bundle() throws Exception {
        System.setProperty("java.awt.headless", "true");
        models = shared.resolve("models");
        bundle = TestBundles.create(models, MODEL, 2);
    }

    private static Cli.Result restore(Path in, Path out, String... extra) {
        return restore(MODEL, in, out, extra);
    }

    private static Cli.Result restore(String model, Path in, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("restore", "-m", model, "-i", in.toString(), "-o",
                out.toString(), "--models-dir", models.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    /** Neither the output nor any temporary file of it exists anywhere under the test folder. */
    private void assertNoOutput(Path out) throws IOException {
        assertFalse(Files.exists(out), out + " exists");
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> parts = all.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
            assertEquals(List.of(), parts, "temporary files left behind");
        }
    }

    private Path save(ImagePlus imp, String name) {
        Path file = dir.resolve(name);
        assertTrue(IJ.saveAsTiff(imp, file.toString()));
        return file;
    }

    /** A smooth pattern with some texture, so normalisation percentiles differ. */
    private static ImageProcessor pattern(ImageProcessor ip, double max) {
        Random rng = new Random(3);
        for (int y = 0; y < ip.getHeight(); y++) {
            for (int x = 0; x < ip.getWidth(); x++) {
                double v = 0.5 + 0.3 * Math.sin(x / 5.0) * Math.cos(y / 7.0) + 0.1 * rng.nextDouble();
                ip.putPixelValue(x, y, v * max);
            }
        }
        return ip;
    }

    private static Calibration micron(double size) {
        Calibration cal = new Calibration();
        cal.pixelWidth = size;
        cal.pixelHeight = size;
        cal.pixelDepth = 1.0;
        cal.setUnit("micron");
        return cal;
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badCommandLineIsOneLineWithExitCode2() {
        // picocli reports missing required options before unknown ones
        Cli.Result r = Cli.run("restore", "-m", MODEL, "--bogus");
        r.assertFailure("Missing required options", "decrappify restore --help");
        assertEquals(2, r.code());
    }

    @Test
    void missingInput() throws Exception {
        Path out = dir.resolve("out.tif");
        restore(dir.resolve("nothere.tif"), out).assertFailure("not found", "nothere.tif");
        assertNoOutput(out);
    }

    @Test
    void corruptFile() throws Exception {
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        Path in = dir.resolve("junk.tif");
        Files.write(in, junk);
        Path out = dir.resolve("out.tif");
        restore(in, out).assertFailureAfterLog("junk.tif", "tiff");
        assertNoOutput(out);
    }

    @Test
    void rgbImage() throws Exception {
        Path in = save(new ImagePlus("rgb", new ColorProcessor(96, 96)), "rgb.tif");
        Path out = dir.resolve("out.tif");
        restore(in, out).assertFailureAfterLog("RGB", "grayscale");
        assertNoOutput(out);
    }

    @Test
    void imageSmallerThanTheNetworkMinimum() throws Exception {
        Path in = save(new ImagePlus("tiny", pattern(new ByteProcessor(8, 8), 255)), "tiny.tif");
        Path out = dir.resolve("out.tif");
        restore(in, out).assertFailureAfterLog("8x8", "at least");
        assertNoOutput(out);
    }

    @Test
    void nonFinitePixels() throws Exception {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            FloatProcessor fp = (FloatProcessor) pattern(new FloatProcessor(96, 80), 1000);
            fp.setf(40, 30, bad);
            Path in = save(new ImagePlus("nan", fp), "nonfinite.tif");
            Path out = dir.resolve("out.tif");
            restore(in, out).assertFailureAfterLog("nonfinite.tif");
            assertNoOutput(out);
        }
    }

    @Test
    void unknownModelListsTheAvailableOnes() throws Exception {
        Path in = save(new ImagePlus("a", pattern(new ByteProcessor(96, 80), 255)), "a.tif");
        Path out = dir.resolve("out.tif");
        restore("no-such-model", in, out).assertFailure("unknown model 'no-such-model'", "available: ", MODEL);
        assertNoOutput(out);
    }

    @Test
    void corruptBundle() throws Exception {
        Path copy = copyBundle("corrupt");
        Path weights = copy.resolve("weights.zip");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(weights, bytes);
        Path in = save(new ImagePlus("a", pattern(new ByteProcessor(96, 80), 255)), "a.tif");
        Path out = dir.resolve("out.tif");
        restore(copy.toString(), in, out).assertFailure("weights.zip", "sha256 mismatch");
        assertNoOutput(out);
    }

    @Test
    void incompleteBundle() throws Exception {
        Path copy = copyBundle("incomplete");
        Files.delete(copy.resolve(RdfYaml.FILE_NAME));
        Path in = save(new ImagePlus("a", pattern(new ByteProcessor(96, 80), 255)), "a.tif");
        Path out = dir.resolve("out.tif");
        restore(copy.toString(), in, out).assertFailure("no rdf.yaml", "not a model bundle");
        assertNoOutput(out);
    }

    @Test
    void outputNotWritable() throws Exception {
        // A path below a regular file cannot be created, even by root (chmod would not stop root).
        Path file = Files.writeString(dir.resolve("somefile.txt"), "x");
        Path in = save(new ImagePlus("a", pattern(new ByteProcessor(96, 80), 255)), "a.tif");
        Path out = file.resolve("out.tif");
        restore(in, out).assertFailureAfterLog("somefile.txt is a file, not a folder");
        assertNoOutput(out);
        assertEquals("x", Files.readString(file));
    }

    @Test
    void outputEqualToInputNeedsOverwrite() throws Exception {
        Path in = save(new ImagePlus("a", pattern(new ByteProcessor(96, 80), 255)), "a.tif");
        byte[] before = Files.readAllBytes(in);
        restore(in, in).assertFailureAfterLog("is the input file", "overwrit");
        assertArrayEquals(before, Files.readAllBytes(in), "input changed");
        assertNoOutput(dir.resolve("none"));
    }

    private Path copyBundle(String name) throws IOException {
        Path target = dir.resolve(name).resolve(MODEL);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(bundle)) {
            for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }

    // ------------------------------------------------------------------ success

    @Test
    void restores8BitImageTo32BitWithScaledCalibration() throws Exception {
        ImagePlus imp = new ImagePlus("a", pattern(new ByteProcessor(100, 80), 255));
        imp.setCalibration(micron(0.2));
        Path in = save(imp, "a.tif");
        Path out = dir.resolve("restored/a-x2.tif");
        Cli.Result r = restore(in, out).assertSuccessWithLog();
        assertTrue(r.err().contains("restored"), r.err());
        ImagePlus res = IJ.openImage(out.toString());
        assertEquals(200, res.getWidth());
        assertEquals(160, res.getHeight());
        assertEquals(32, res.getBitDepth());
        assertEquals(0.1, res.getCalibration().pixelWidth, 1e-9);
        assertEquals(0.1, res.getCalibration().pixelHeight, 1e-9);
        assertEquals("micron", res.getCalibration().getUnit());
        assertNoPartFiles();
    }

    /** One large plane reports its tiles each quarter (a small one, as above, does not). */
    @Test
    void aLargePlaneReportsTileProgress() throws Exception {
        Path in = save(new ImagePlus("big", pattern(new ByteProcessor(256, 192), 255)), "big.tif");
        Cli.Result r = restore(in, dir.resolve("big-x2.tif")).assertSuccessWithLog();
        List<String> tiles = r.err().lines().filter(l -> l.matches("tile \\d+/\\d+")).toList();
        assertEquals(4, tiles.size(), r.err());
        int total = Integer.parseInt(tiles.get(3).replaceAll(".*/", ""));
        assertTrue(total >= 8, r.err());
        int quarter = (total + 3) / 4;
        assertEquals(List.of("tile " + quarter + "/" + total, "tile " + 2 * quarter + "/" + total,
                "tile " + 3 * quarter + "/" + total, "tile " + total + "/" + total), tiles);
        Cli.Result small = restore(save(new ImagePlus("s", pattern(new ByteProcessor(100, 80), 255)), "s.tif"),
                dir.resolve("s-x2.tif")).assertSuccessWithLog();
        assertTrue(small.err().lines().noneMatch(l -> l.startsWith("tile ")), small.err());
    }

    @Test
    void restores16BitZStackKeepingTheBitDepth() throws Exception {
        ImageStack stack = new ImageStack(70, 64);
        for (int z = 0; z < 3; z++) {
            stack.addSlice(pattern(new ShortProcessor(70, 64), 4000 + 1000 * z));
        }
        ImagePlus imp = new ImagePlus("stack", stack);
        imp.setDimensions(1, 3, 1);
        imp.setCalibration(micron(0.2));
        Path in = save(imp, "stack.tif");
        Path out = dir.resolve("stack-x2.tif");
        restore(in, out, "--out-type", "same").assertSuccessWithLog();
        ImagePlus res = IJ.openImage(out.toString());
        assertEquals(140, res.getWidth());
        assertEquals(128, res.getHeight());
        assertEquals(3, res.getNSlices());
        assertEquals(1, res.getNChannels());
        assertEquals(1, res.getNFrames());
        assertEquals(16, res.getBitDepth());
        assertEquals(0.1, res.getCalibration().pixelWidth, 1e-9);
        assertNoPartFiles();
    }

    @Test
    void restoresAFolderAndSkipsExistingOutputsOnTheSecondRun() throws Exception {
        Path inDir = Files.createDirectories(dir.resolve("in"));
        for (String name : List.of("one", "two")) {
            ImagePlus imp = new ImagePlus(name, pattern(new ByteProcessor(64, 72), 255));
            assertTrue(IJ.saveAsTiff(imp, inDir.resolve(name + ".tif").toString()));
        }
        Path outDir = dir.resolve("out");
        Cli.Result first = restore(inDir, outDir).assertSuccessWithLog();
        assertTrue(first.err().contains("restored 2, skipped 0, failed 0"), first.err());
        for (String name : List.of("one", "two")) {
            ImagePlus res = IJ.openImage(outDir.resolve(name + ".tif").toString());
            assertEquals(128, res.getWidth());
            assertEquals(144, res.getHeight());
            assertEquals(32, res.getBitDepth());
        }
        Cli.Result second = restore(inDir, outDir, "--skip-existing").assertSuccessWithLog();
        assertTrue(second.err().contains("restored 0, skipped 2, failed 0"), second.err());
        // Without --skip-existing or --overwrite, existing outputs are failures, reported one per line.
        Cli.Result third = restore(inDir, outDir);
        assertEquals(1, third.code());
        List<String> log = third.err().strip().lines().toList();
        assertEquals(2, log.stream().filter(l -> l.startsWith("decrappify restore: failed: ")).count(), third.err());
        assertTrue(log.get(log.size() - 1).startsWith("decrappify restore: failed: ")
                && log.get(log.size() - 2).startsWith("decrappify restore: failed: "), "after the log: " + third.err());
        assertEquals("", third.out());
        assertNoPartFiles();
    }

    private void assertNoPartFiles() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
    }
}
