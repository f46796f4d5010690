package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
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

/** {@code decrappify evaluate}: metric values, JSON form, folders, baselines, intensity fit. */
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
    private static ShortProcessor ramp() {
        ShortProcessor sp = new ShortProcessor(256, 256);
        for (int i = 0; i < 256 * 256; i++) {
            sp.set(i % 256, i / 256, i);
        }
        return sp;
    }

    /** Fine random texture: detail that no smoothing of an LR image can bring back. */
    private static ShortProcessor texture(long seed) {
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
    private static FloatProcessor noisy(ImageProcessor ip, double gain, double offset, double sigma, long seed) {
        Random rng = new Random(seed);
        FloatProcessor fp = new FloatProcessor(ip.getWidth(), ip.getHeight());
        for (int i = 0; i < ip.getPixelCount(); i++) {
            fp.setf(i, (float) (gain * ip.getf(i) + offset + sigma * rng.nextGaussian()));
        }
        return fp;
    }

    private Path save(ImageProcessor ip, String name) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        assertTrue(IJ.saveAsTiff(new ImagePlus(name, ip), file.toString()));
        return file;
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
    void identicalImagesGiveNullPsnrInJson() throws Exception {
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
        assertTrue(table.contains("inf"), table);
    }

    @Test
    void knownNoiseGivesTheExpectedPsnr() throws Exception {
        double sigma = 500;
        Path t = save(ramp(), "truth.tif");
        Path p = save(noisy(ramp(), 1, 0, sigma, 5), "pred.tif");
        // numpy-style percentiles of 0..65535: p = q/100 · 65535
        double range = (0.998 - 0.01) * 65535;
        double expected = 20 * Math.log10(range / sigma);
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
        assertTrue(raw[0] < 10, "unfitted gain difference must score badly: " + raw[0]);
        assertEquals(expected, fitted[0], 0.1);
    }

    @Test
    void foldersWithBaselinesGiveATableAndCsv() throws Exception {
        for (String name : List.of("a", "b")) {
            ShortProcessor truth = texture(name.hashCode());
            save(truth, "truth/" + name + ".tif");
            save(noisy(truth, 1, 0, 300, name.hashCode()), "pred/" + name + ".tif");
            // LR: 2x2 block means plus noise, in the truth's units
            save(noisy(truth.resize(128, 128, true), 1, 0, 1500, name.hashCode() + 1), "lr/" + name + ".tif");
        }
        Path csv = dir.resolve("scores/scores.csv");
        String out = Cli.run("evaluate", "--prediction", dir.resolve("pred").toString(), "--truth",
                dir.resolve("truth").toString(), "--lr", dir.resolve("lr").toString(), "--csv", csv.toString())
                .assertSuccess().out();
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).matches("image\\s+psnr\\s+ssim\\s+nrmse\\s+frc_px\\s+bicubic_psnr\\s+bicubic_ssim"
                + "\\s+smoothed_psnr\\s+smoothed_ssim\\s+smoothed_sigma"), lines.get(0));
        assertTrue(lines.get(1).startsWith("a.tif"), out);
        assertTrue(lines.get(2).startsWith("b.tif"), out);
        assertTrue(lines.get(3).startsWith("mean"), out);
        List<String> rows = Files.readAllLines(csv);
        assertEquals(4, rows.size(), String.join("\n", rows));
        assertEquals("image,psnr,ssim,nrmse,frc_px,bicubic_psnr,bicubic_ssim,smoothed_psnr,smoothed_ssim,smoothed_sigma",
                rows.get(0));
        String[] mean = rows.get(3).split(",");
        assertEquals("mean", mean[0]);
        double model = Double.parseDouble(mean[1]);
        double bicubic = Double.parseDouble(mean[5]);
        double smoothed = Double.parseDouble(mean[7]);
        assertTrue(smoothed >= bicubic, "the oracle smoothing includes sigma 0: " + smoothed + " < " + bicubic);
        assertTrue(model > smoothed, "the low-noise prediction beats the baselines: " + model + " vs " + smoothed);
        String json = Cli.run("evaluate", "--prediction", dir.resolve("pred").toString(), "--truth",
                dir.resolve("truth").toString(), "--json").assertSuccess().out().strip();
        assertTrue(json.matches("\\{\"images\":\\[\\{\"name\":\"a.tif\",\"psnr\":[^\\n]*\"mean\":\\{\"psnr\":.*}}"), json);
    }

    @Test
    void singlePairJsonKeepsExactlyFourKeysWithBaselines() throws Exception {
        ShortProcessor truth = ramp();
        Path t = save(truth, "truth.tif");
        Path p = save(noisy(truth, 1, 0, 300, 1), "pred.tif");
        Path l = save(truth.resize(64, 64, true), "lr.tif");
        json(Cli.run("evaluate", "--prediction", p.toString(), "--truth", t.toString(), "--lr", l.toString(), "--json")
                .assertSuccess().out());
        Cli.run("evaluate", "--prediction", p.toString(), "--truth", t.toString(), "--lr", l.toString(), "--scale", "2")
                .assertFailure("not the truth's 256x256 divided by 2");
    }

    @Test
    void folderWithAMissingPartnerIsAClearError() throws Exception {
        save(ramp(), "truth/a.tif");
        save(ramp(), "truth/b.tif");
        save(ramp(), "truth/c.tif");
        save(ramp(), "pred/a.tif");
        save(ramp(), "pred/c.tiff"); // matched by name without extension
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
    }
}
