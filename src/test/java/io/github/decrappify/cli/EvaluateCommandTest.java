package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code decrappify evaluate}: values, JSON contract, folders and stacks, baselines, CSV, plot, errors. */
class EvaluateCommandTest {

    private static final Pattern JSON = Pattern.compile(
            "\\{\"psnr\":([^,]+),\"ssim\":([^,]+),\"nrmse\":([^,]+),\"frc\":([^,}]+)}");

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** 16-bit ramp 0..65535 over 256x256: its 1st and 99.8th percentiles are known exactly. */
    static ShortProcessor ramp() {
        ShortProcessor sp = new ShortProcessor(256, 256);
        for (int i = 0; i < 256 * 256; i++) {
            sp.set(i % 256, i / 256, i);
        }
        return sp;
    }

    /** Fine random texture: detail that no smoothing of an LR image brings back. */
    static ShortProcessor texture(long seed) {
        Random rng = new Random(seed);
        ShortProcessor sp = new ShortProcessor(256, 256);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                sp.set(x, y, (int) (20000 + 10000 * Math.sin(x / 2.3) * Math.cos(y / 3.1) + 8000 * rng.nextDouble()));
            }
        }
        return sp;
    }

    /** {@code gain · image + offset + N(0, sigma)} as 32-bit. */
    static FloatProcessor noisy(ImageProcessor ip, double gain, double offset, double sigma, long seed) {
        Random rng = new Random(seed);
        FloatProcessor fp = new FloatProcessor(ip.getWidth(), ip.getHeight());
        for (int i = 0; i < ip.getPixelCount(); i++) {
            fp.setf(i, (float) (gain * ip.getf(i) + offset + sigma * rng.nextGaussian()));
        }
        return fp;
    }

    private Path save(ImagePlus imp, String name) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        assertTrue(IJ.saveAsTiff(imp, file.toString()));
        return file;
    }

    private Path save(ImageProcessor ip, String name) throws Exception {
        return save(new ImagePlus(name, ip), name);
    }

    private static double[] json(String out) {
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), out);
        Matcher m = JSON.matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            v[i] = "null".equals(m.group(i + 1)) ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(i + 1));
        }
        return v;
    }

    @Test
    void identicalImagesGiveNullPsnrInJsonAndInfInTheTable() throws Exception {
        Path t = save(ramp(), "truth.tif");
        Path p = save(ramp(), "pred.tif");
        String out = Cli.run("evaluate", "--prediction", p.toString(), "--truth", t.toString(), "--json")
                .assertSuccess().out();
        assertTrue(out.startsWith("{\"psnr\":null,"), out);
        double[] v = json(out);
        assertEquals(1.0, v[1], 1e-9);
        assertEquals(0.0, v[2], 1e-9);
        assertEquals(2.0, v[3], 1e-9, "identical images correlate up to Nyquist");
        String table = Cli.run("evaluate", "--prediction", p.toString(), "--truth", t.toString()).assertSuccess().out();
        assertTrue(table.lines().skip(1).findFirst().orElseThrow().matches("truth\\.tif\\s+inf\\s+1\\.0000\\s+0\\.0000\\s+2\\.00\\s+2\\.00"),
                table);
    }

    @Test
    void knownNoiseGivesTheExpectedPsnr() throws Exception {
        double sigma = 500;
        Path t = save(ramp(), "truth.tif");
        Path p = save(noisy(ramp(), 1, 0, sigma, 5), "pred.tif");
        // Percentiles of the ramp 0..65535: p/100 · 65535, so the normalised noise is sigma / (0.988 · 65535).
        double expected = 20 * Math.log10((0.998 - 0.01) * 65535 / sigma);
        double[] v = json(Cli.run("evaluate", "--prediction", p.toString(), "--truth", t.toString(), "--json")
                .assertSuccess().out());
        assertEquals(expected, v[0], 0.1);
    }

    @Test
    void fitIntensityRemovesGainAndOffset() throws Exception {
        double sigma = 500;
        Path t = save(ramp(), "truth.tif");
        Path p = save(noisy(ramp(), 3, 1000, 3 * sigma, 6), "pred.tif"); // another detector: gain 3, offset 1000
        double expected = 20 * Math.log10((0.998 - 0.01) * 65535 / sigma);
        double[] raw = json(Cli.run("evaluate", "--prediction", p.toString(), "--truth", t.toString(), "--json")
                .assertSuccess().out());
        double[] fitted = json(Cli.run("evaluate", "--prediction", p.toString(), "--truth", t.toString(), "--json",
                "--fit-intensity").assertSuccess().out());
        assertTrue(raw[0] < 10, "an unfitted gain difference must score badly: " + raw[0]);
        assertEquals(expected, fitted[0], 0.1);
    }

    @Test
    void csvAndPlotNeverReplaceAnInputAndAskBeforeReplacingAFile() throws Exception {
        Path t = save(ramp(), "t.tif");
        Path p = save(noisy(ramp(), 1, 0, 500, 5), "p.tif");
        byte[] truth = Files.readAllBytes(t);
        String[] base = {"evaluate", "--prediction", p.toString(), "--truth", t.toString()};
        // Issue 13: --csv t.tif turned the ground truth into CSV text; --overwrite does not allow it either.
        for (String option : List.of("--csv", "--plot")) {
            Cli.run(concat(base, option, t.toString())).assertFailure(option + " " + t, "is an input of this evaluation");
            Cli.run(concat(base, option, p.toString(), "--overwrite")).assertFailure("is an input");
            // Another spelling of the same file is the same file.
            Cli.run(concat(base, option, dir.resolve("sub/../t.tif").toString(), "--overwrite")).assertFailure("is an input");
        }
        assertArrayEquals(truth, Files.readAllBytes(t));
        Path old = dir.resolve("old.csv");
        Files.writeString(old, "keep");
        Cli.run(concat(base, "--csv", old.toString())).assertFailure("--csv " + old + " already exists", "--overwrite");
        assertEquals("keep", Files.readString(old));
        Cli.run(concat(base, "--csv", old.toString(), "--plot", old.toString(), "--overwrite"))
                .assertFailure("name the same file");
        Cli.run(concat(base, "--csv", old.toString(), "--overwrite")).assertSuccess();
        assertTrue(Files.readString(old).startsWith("image,"), "replaced when asked");
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void foldersWithBaselinesGiveTableCsvJsonAndPlot() throws Exception {
        for (String name : List.of("a", "b")) {
            ShortProcessor truth = texture(name.hashCode());
            ImagePlus t = new ImagePlus(name, truth);
            t.getCalibration().pixelWidth = 4.6; // nm: FRC is also given in nm
            t.getCalibration().pixelHeight = 4.6;
            t.getCalibration().setUnit("nm");
            save(t, "truth/" + name + ".tif");
            save(noisy(truth, 1, 0, 300, name.hashCode()), "pred/" + name + ".tif");
            save(noisy(truth.resize(128, 128, true), 1, 0, 1500, name.hashCode() + 1), "lr/" + name + ".tif");
        }
        Path csv = dir.resolve("scores/scores.csv");
        Path png = dir.resolve("scores/plot.png");
        String[] args = {"evaluate", "--prediction", dir.resolve("pred").toString(), "--truth", dir.resolve("truth").toString(),
                "--lr", dir.resolve("lr").toString(), "--scale", "2", "--csv", csv.toString(), "--plot", png.toString()};
        Cli.Result r = Cli.run(args).assertResultWithLog(); // a folder job reports each pair on stderr
        assertEquals(List.of("Evaluating 1/2: a.tif", "Evaluating 2/2: b.tif"), r.err().strip().lines().toList());
        String out = r.out();
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).matches("image\\s+psnr\\s+ssim\\s+nrmse\\s+frc_px\\s+frc_hb\\s+frc_nm\\s+bicubic_psnr\\s+bicubic_ssim"
                + "\\s+smoothed_psnr\\s+smoothed_ssim\\s+smoothed_sigma"), lines.get(0));
        assertTrue(lines.get(1).startsWith("a.tif"), out);
        assertTrue(lines.get(2).startsWith("b.tif"), out);
        assertTrue(lines.get(3).startsWith("mean (2)"), out);

        List<String> rows = Files.readAllLines(csv);
        assertEquals(4, rows.size(), String.join("\n", rows));
        List<String> header = List.of(rows.get(0).split(","));
        String[] mean = rows.get(3).split(",", -1);
        assertEquals("mean", mean[0]);
        double model = Double.parseDouble(mean[header.indexOf("psnr")]);
        double bicubic = Double.parseDouble(mean[header.indexOf("bicubic_psnr")]);
        double smoothed = Double.parseDouble(mean[header.indexOf("smoothed_psnr")]);
        assertTrue(smoothed >= bicubic, "the oracle smoothing includes sigma 0: " + smoothed + " < " + bicubic);
        assertTrue(model > smoothed, "the low-noise prediction beats the baselines: " + model + " vs " + smoothed);
        String[] a = rows.get(1).split(",", -1);
        assertEquals("nm", a[header.indexOf("unit")]);
        assertEquals(4.6 * Double.parseDouble(a[header.indexOf("frc_px")]), Double.parseDouble(a[header.indexOf("frc_size")]),
                1e-3);
        assertTrue(Double.parseDouble(a[header.indexOf("frc_halfbit_px")]) >= Double.parseDouble(a[header.indexOf("frc_px")]),
                "the half-bit threshold is above 1/7 here, so it is crossed at a coarser resolution");

        ImagePlus plot = IJ.openImage(png.toString());
        assertTrue(plot != null && plot.getWidth() > 500 && plot.getHeight() > 400, "plot " + plot);
        assertTrue(hasColour(plot, 0, 90, 200), "the model's series is drawn");
        assertTrue(hasColour(plot, 200, 40, 40), "the bicubic series is drawn");
        try (var s = Files.list(dir.resolve("scores"))) {
            assertEquals(2, s.count(), "no temporary files left");
        }

        String json = Cli.run("evaluate", "--prediction", dir.resolve("pred").toString(), "--truth",
                dir.resolve("truth").toString(), "--json").assertResultWithLog().out().strip();
        assertTrue(json.matches("\\{\"images\":\\[\\{\"image\":\"a.tif\",\"psnr\":[^}]+},\\{\"image\":\"b.tif\",[^}]+}],"
                + "\"mean\":\\{\"psnr\":[^}]+}}"), json);
    }

    private static boolean hasColour(ImagePlus imp, int r, int g, int b) {
        int[] px = (int[]) imp.getProcessor().convertToRGB().getPixels();
        int want = (r << 16) | (g << 8) | b;
        for (int v : px) {
            if ((v & 0xffffff) == want) {
                return true;
            }
        }
        return false;
    }

    @Test
    void stacksAreScoredPlaneByPlane() throws Exception {
        ImageStack truth = new ImageStack(256, 256);
        ImageStack pred = new ImageStack(256, 256);
        for (int z = 0; z < 3; z++) {
            truth.addSlice(texture(z));
            pred.addSlice(noisy(texture(z), 1, 0, 200 * (z + 1), z));
        }
        Path t = save(new ImagePlus("t", truth), "t.tif");
        Path p = save(new ImagePlus("p", pred), "p.tif");
        String out = Cli.run("evaluate", "--prediction", p.toString(), "--truth", t.toString()).assertSuccess().out();
        List<String> lines = out.lines().toList();
        assertEquals(5, lines.size(), out);
        double[] psnr = new double[3];
        for (int z = 0; z < 3; z++) {
            assertTrue(lines.get(z + 1).startsWith("t.tif #" + (z + 1)), out);
            psnr[z] = Double.parseDouble(lines.get(z + 1).split("\\s+")[2]);
        }
        assertTrue(psnr[0] > psnr[1] && psnr[1] > psnr[2], "more noise, lower PSNR: " + out);
    }

    @Test
    void lrOfTheWrongScaleIsAClearError() throws Exception {
        ShortProcessor truth = ramp();
        Path t = save(truth, "truth.tif");
        Path p = save(noisy(truth, 1, 0, 300, 1), "pred.tif");
        Path l = save(truth.resize(64, 64, true), "lr.tif");
        json(Cli.run("evaluate", "--prediction", p.toString(), "--truth", t.toString(), "--lr", l.toString(), "--scale", "4",
                "--json").assertSuccess().out());
        Cli.run("evaluate", "--prediction", p.toString(), "--truth", t.toString(), "--lr", l.toString(), "--scale", "2")
                .assertFailure("LR 64x64 times scale 2 does not match the truth 256x256");
    }

    @Test
    void folderWithMissingPartnersIsAClearError() throws Exception {
        save(ramp(), "truth/a.tif");
        save(ramp(), "truth/b.tif");
        save(ramp(), "truth/c.png");
        save(ramp(), "pred/a.tif");
        save(ramp(), "pred/c.tif"); // matched by name without extension
        Cli.run("evaluate", "--prediction", dir.resolve("pred").toString(), "--truth", dir.resolve("truth").toString())
                .assertFailure("no prediction", "1 truth image(s): b.tif", "matched by name");
    }

    @Test
    void mismatchedInputsAreClearErrors() throws Exception {
        Path t = save(ramp(), "truth.tif");
        Path small = save(new ShortProcessor(128, 128), "small.tif");
        Cli.run("evaluate", "--prediction", small.toString(), "--truth", t.toString())
                .assertFailure("128x128", "256x256", "must match");
        Cli.run("evaluate", "--prediction", dir.toString(), "--truth", t.toString())
                .assertFailure("all be files or all be folders");
        Cli.run("evaluate", "--prediction", dir.resolve("nope.tif").toString(), "--truth", t.toString())
                .assertFailure("--prediction", "not found");
        assertFalse(Files.exists(dir.resolve("nope.tif")));
    }
}
