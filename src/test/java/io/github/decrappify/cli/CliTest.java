package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a scheduler sees it: exit codes, one-line reasons on stderr, and no output file
 * (not even a temporary one) when the input is bad. Uses the bundled EM model.
 */
class CliTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int code = Main.run(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private void assertFailsCleanly(Run r, String expectedFragment) throws Exception {
        assertEquals(1, r.code(), "exit code; stderr: " + r.err());
        assertEquals("", r.out(), "restore prints no result");
        String[] lines = r.err().strip().split("\n");
        String reason = lines[lines.length - 1]; // the log (model, device) may come first
        for (int i = 0; i < lines.length - 1; i++) {
            assertFalse(Cli.isProblem(lines[i]), "one-line reason after log lines, got: " + r.err());
        }
        assertTrue(reason.startsWith("decrappify restore: error: "), reason);
        assertTrue(reason.toLowerCase().contains(expectedFragment.toLowerCase()), reason);
        try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
            assertEquals(0, s.count(), "no output or temporary file may remain");
        }
    }

    private Path outDir() throws Exception {
        return Files.createDirectories(tmp.resolve("out"));
    }

    private Run restore(Path in) throws Exception {
        return run("restore", "-m", "em-x4-unet-s", "-i", in.toString(), "-o", outDir().resolve("r.tif").toString());
    }

    private Path save(ImagePlus imp, String name) {
        Path p = tmp.resolve(name);
        IJ.saveAsTiff(imp, p.toString());
        return p;
    }

    @Test
    void restoresTheSampleWithCalibrationDividedByTheScale() throws Exception {
        ImagePlus lr = IJ.openImage("test-data/em_lr_stack2_s00.tif");
        lr.getCalibration().pixelWidth = 18.4;
        lr.getCalibration().pixelHeight = 18.4;
        lr.getCalibration().setUnit("nm");
        Path in = save(lr, "lr.tif");
        Run r = restore(in);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("CPU"), "log names the device: " + r.err());
        assertEquals("", r.out(), "restore prints no result on stdout");
        ImagePlus out = IJ.openImage(outDir().resolve("r.tif").toString());
        assertEquals(1024, out.getWidth());
        assertEquals(32, out.getBitDepth());
        assertEquals(4.6, out.getCalibration().pixelWidth, 1e-3); // TIFF stores it as a rational
        assertEquals("nm", out.getCalibration().getUnit());
    }

    @Test
    void sameBitDepthAndStacks() throws Exception {
        ImagePlus imp = IJ.createImage("s", "16-bit ramp", 70, 66, 3);
        Path in = save(imp, "stack16.tif");
        Run r = run("restore", "-m", "em-x4-unet-s", "-i", in.toString(), "-o", outDir().resolve("s.tif").toString(),
                "--out-type", "same", "--tile", "64");
        assertEquals(0, r.code(), r.err());
        ImagePlus out = IJ.openImage(outDir().resolve("s.tif").toString());
        assertEquals(16, out.getBitDepth());
        assertEquals(3, out.getStackSize());
        assertEquals(280, out.getWidth());
    }

    @Test
    void missingInput() throws Exception {
        assertFailsCleanly(restore(tmp.resolve("nope.tif")), "not found");
    }

    @Test
    void corruptFile() throws Exception {
        Path bad = tmp.resolve("corrupt.tif");
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        Files.write(bad, junk);
        assertFailsCleanly(restore(bad), "corrupt.tif");
    }

    @Test
    void rgbImage() throws Exception {
        assertFailsCleanly(restore(save(new ImagePlus("rgb", new ColorProcessor(80, 80)), "rgb.tif")), "RGB");
    }

    @Test
    void imageSmallerThanTheNetworkMinimum() throws Exception {
        assertFailsCleanly(restore(save(new ImagePlus("tiny", new ShortProcessor(8, 8)), "tiny.tif")), "needs at least");
    }

    @Test
    void nanPixels() throws Exception {
        FloatProcessor fp = new FloatProcessor(80, 80);
        fp.setf(10, 12, Float.NaN);
        assertFailsCleanly(restore(save(new ImagePlus("nan", fp), "nan.tif")), "NaN");
    }

    @Test
    void unknownModelListsTheAvailableOnes() throws Exception {
        Path in = save(new ImagePlus("a", new ShortProcessor(80, 80)), "a.tif");
        Run r = run("restore", "-m", "no-such-model", "-i", in.toString(), "-o", outDir().resolve("r.tif").toString());
        assertFailsCleanly(r, "em-x4-unet-s");
    }

    @Test
    void corruptBundleIsRefused() throws Exception {
        Path copy = tmp.resolve("broken-model");
        Files.createDirectories(copy);
        try (Stream<Path> s = Files.list(Path.of("models/em-x4-unet-s"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        byte[] w = Files.readAllBytes(copy.resolve("weights.zip"));
        w[w.length / 2] ^= 0x55;
        Files.write(copy.resolve("weights.zip"), w);
        Path in = save(new ImagePlus("a", new ShortProcessor(80, 80)), "a.tif");
        Run r = run("restore", "-m", copy.toString(), "-i", in.toString(), "-o", outDir().resolve("r.tif").toString());
        assertFailsCleanly(r, "sha256");
        Files.delete(copy.resolve("rdf.yaml"));
        r = run("restore", "-m", copy.toString(), "-i", in.toString(), "-o", outDir().resolve("r.tif").toString());
        assertFailsCleanly(r, "rdf.yaml");
    }

    @Test
    void unwritableOutput() throws Exception {
        Path in = save(new ImagePlus("a", new ShortProcessor(80, 80)), "a.tif");
        Path file = Files.writeString(outDir().resolve("plain-file"), "x");
        Run r = run("restore", "-m", "em-x4-unet-s", "-i", in.toString(), "-o", file.resolve("r.tif").toString());
        assertEquals(1, r.code());
        List<String> lines = r.err().strip().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("decrappify restore: error: "), r.err());
        assertEquals(1, lines.stream().filter(Cli::isProblem).count(), r.err());
        assertFalse(Files.exists(file.resolve("r.tif")));
    }

    @Test
    void outputEqualToInputNeedsOverwrite() throws Exception {
        Path in = save(new ImagePlus("a", new ShortProcessor(80, 80)), "same.tif");
        long before = Files.size(in);
        Run r = run("restore", "-m", "em-x4-unet-s", "-i", in.toString(), "-o", in.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("input file"), r.err());
        assertEquals(before, Files.size(in), "input untouched");
    }

    @Test
    void gpuRequestedWithoutAGpuNamesWhatIsMissing() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidia0")), "machine has a GPU");
        Path in = save(new ImagePlus("a", new ShortProcessor(80, 80)), "g.tif");
        Run r = run("restore", "-m", "em-x4-unet-s", "-i", in.toString(), "-o", outDir().resolve("r.tif").toString(),
                "--device", "gpu");
        assertFailsCleanly(r, "--device gpu");
    }

    @Test
    void aPresetNumberOutOfRangeIsOneLineNamingTheFieldAndTheFile() throws Exception {
        Path hr = tmp.resolve("hr_blur.tif");
        io.github.decrappify.testutil.Blobs.write(hr, 64, 3);
        Path preset = Files.writeString(tmp.resolve("wide.yaml"), "preset: em\nblur_sigma: 1e9\n");
        Path lr = outDir().resolve("lr_blur.tif");
        Run r = run("crappify", "--preset", preset.toString(), "-i", hr.toString(), "-o", lr.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("decrappify crappify: error: " + preset + ": 'blur_sigma' must be from 0 to 100 (HR pixels), not 1.0E9",
                r.err().strip(), "it was 'error: -1'");
        assertFalse(Files.exists(lr));
        Run scale = run("crappify", "--preset", "em", "--scale", "0", "-i", hr.toString(), "-o", lr.toString());
        assertEquals(2, scale.code(), scale.err());
        assertTrue(scale.err().startsWith("decrappify crappify: error: --scale must be from 1 to 64, not 0"), scale.err());
    }

    @Test
    void crappifyUsesThePresetFilesScale() throws Exception {
        Path hr = tmp.resolve("hr.tif");
        io.github.decrappify.testutil.Blobs.write(hr, 128, 3);
        Path preset = Files.writeString(tmp.resolve("x2.yaml"), "preset: fluo\nscale: 2\n");
        Path lr = outDir().resolve("lr.tif");
        Run r = run("crappify", "--preset", preset.toString(), "-i", hr.toString(), "-o", lr.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out(), "crappify prints no result");
        assertEquals(hr + " -> " + lr, r.err().strip(), "the log says which file became which");
        assertEquals(64, IJ.openImage(lr.toString()).getWidth(), "the file says scale 2 (it used to give 32, scale 4)");
    }

    @Test
    void crappifyIsDeterministicPerSeedAndFitsPresets() throws Exception {
        Path a = outDir().resolve("a.tif");
        Path b = tmp.resolve("b.tif");
        String hr = "../shared/data/isbi2012_ssTEM_drosophila_vnc/test/slice_00.png";
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of(hr)), "shared data present");
        assertEquals(0, run("crappify", "--preset", "em", "--scale", "4", "--seed", "7", "-i", hr, "-o", a.toString()).code());
        assertEquals(0, run("crappify", "--preset", "em", "--scale", "4", "--seed", "7", "-i", hr, "-o", b.toString()).code());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), "same seed, same bytes");
        ImagePlus lr = IJ.openImage(a.toString());
        assertEquals(128, lr.getWidth());
        Path preset = tmp.resolve("fit.yaml");
        Run fit = run("crappify", "--preset", "fluo", "--scale", "2", "--fit",
                "../shared/data/real_noise_fmd_confocal_bpae/fov11_raw0.png", "-o", preset.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().startsWith("noise fit on 1 planes: var = "), "the fit is the result, on stdout: " + fit.out());
        assertEquals("preset written to " + preset, fit.err().strip(), "where it went is the log");
        String yaml = Files.readString(preset);
        assertTrue(yaml.contains("scale: 2") && yaml.contains("poisson_peak"), yaml);
    }

    @Test
    void badOptionIsAUsageError() {
        assertEquals(2, run("restore", "--tile").code());
    }

    @Test
    void evaluateJsonAndModelsValidate() throws Exception {
        FloatProcessor truth = new FloatProcessor(64, 64);
        FloatProcessor noisy = new FloatProcessor(64, 64);
        Random rnd = new Random(4);
        for (int i = 0; i < 64 * 64; i++) {
            float v = (float) (100 + 50 * Math.sin(i * 0.1));
            truth.setf(i, v);
            noisy.setf(i, v + (float) rnd.nextGaussian());
        }
        Path t = save(new ImagePlus("t", truth), "t.tif");
        Path p = save(new ImagePlus("p", noisy), "p.tif");
        Run r = run("evaluate", "--prediction", p.toString(), "--truth", t.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().strip().matches("\\{\"psnr\":[0-9.]+,\"ssim\":[0-9.]+,\"nrmse\":[0-9.e-]+,\"frc\":[0-9.]+\\}"), r.out());
        Run v = run("models", "validate", "em-x4-unet-s", "--device", "cpu");
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().contains("em-x4-unet-s: valid"), v.out());
    }
}
