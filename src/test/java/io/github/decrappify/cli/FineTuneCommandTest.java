package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.model.BioimageIoSchema;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Resample;
import io.github.decrappify.model.Checksums;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.train.nogan.NoGanFixtures;
import io.github.decrappify.train.nogan.NoGanTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code decrappify finetune} end to end on small real images, and its one-line errors for bad input. */
class FineTuneCommandTest {

    @TempDir
    static Path shared;
    static Path base;
    static Path hr;

    /** Small budgets and networks so that a whole run takes seconds. */
    static final List<String> SMALL = List.of("--quick", "--patch", "16", "--batch", "4", "--critic-width", "4",
            "--critic-levels", "2", "--pretrain-steps", "6", "--critic-steps", "6", "--gan-steps", "8",
            "--gan-validate-every", "2", "--device", "cpu", "--threads", "1", "--log-every", "2");

    @BeforeAll
    static void setUp() throws Exception {
        base = NoGanFixtures.tinyBase(shared.resolve("models"), "tiny");
        hr = NoGanFixtures.emFolder(shared.resolve("hr"), 5, 96);
    }

    static Cli.Result finetune(String... args) {
        List<String> all = new ArrayList<>(List.of("finetune"));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    static Cli.Result small(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(SMALL);
        return finetune(all.toArray(String[]::new));
    }

    static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Checksums.sha256(p));
            }
        }
        return m;
    }

    @Test
    void helpDescribesTheRecipe() {
        Cli.Result r = finetune("--help").assertSuccess();
        for (String s : List.of("NoGAN", "--alpha", "--quick", "--critic-threshold", "--ragan", "--self-supervised",
                "--feature-net", "--resume", "default 0.65")) {
            assertTrue(r.out().contains(s), s);
        }
    }

    @Test
    void quickRunWritesABundleThatRestores(@TempDir Path out) throws Exception {
        Path bundle = out.resolve("tiny-ft");
        Cli.Result r = small("-m", base.toString(), "--hr", hr.toString(), "-o", bundle.toString()).assertSuccessWithLog();
        for (String s : List.of("== critic-0", "== pretrain", "== gan-1", "pretrain validation at step", "Base model on the",
                "Model bundle written to")) {
            assertTrue(r.err().contains(s), s + " in:\n" + r.err());
        }
        String rdf = Files.readString(bundle.resolve("rdf.yaml"));
        assertTrue(rdf.contains("command: bin/decrappify finetune -m "), "command recorded once, as typed");
        BioimageIoSchema.assertValid(bundle);
        Path work = out.resolve("tiny-ft.work");
        assertTrue(Files.readAllLines(work.resolve(NoGanTrainer.LOG)).size() > 20);
        assertTrue(Files.readString(work.resolve(NoGanTrainer.SUMMARY)).contains("\"done\": true"));
        ImagePlus lr = new ImagePlus("lr", NoGanFixtures.em());
        Path in = out.resolve("lr.tif");
        IJ.saveAsTiff(lr, in.toString());
        Cli.run("restore", "-m", bundle.toString(), "-i", in.toString(), "-o", out.resolve("x2.tif").toString(), "--device",
                "cpu").assertSuccessWithLog();
        assertEquals(512, IJ.openImage(out.resolve("x2.tif").toString()).getWidth());
        // The same output again is refused unless --overwrite.
        small("-m", base.toString(), "--hr", hr.toString(), "-o", bundle.toString()).assertFailure("already exists", "allow overwriting");
    }

    /**
     * Issue 11 item 5, as {@code train} does it: the best blur of the validation images is announced once, every
     * validation line of every phase says how far above it the generator is, and the bundle records it next to the
     * exported generator's PSNR under train's {@code validation_metrics} keys.
     */
    @Test
    void validationsOfEveryPhaseAreMeasuredAgainstTheBestBlur(@TempDir Path out) throws Exception {
        Path bundle = out.resolve("tiny-blur");
        // a threshold above chance (0.693) lets the untrained critic pass, so the GAN phase updates and validates too
        Cli.Result r = small("-m", base.toString(), "--hr", hr.toString(), "-o", bundle.toString(), "--critic-threshold", "0.75")
                .assertSuccessWithLog();
        Matcher once = Pattern.compile("best Gaussian-smoothed bicubic on the 1 validation images: PSNR (-?[\\d.]+) dB  SSIM"
                + " ([\\d.]+) \\(a model below it is not worth using\\)").matcher(r.err());
        assertTrue(once.find(), r.err());
        double blur = Double.parseDouble(once.group(1));
        double blurSsim = Double.parseDouble(once.group(2));
        assertFalse(once.find(), "computed and announced once per run: " + r.err());
        Matcher m = Pattern.compile("(\\S+) validation at step \\d+: PSNR (-?[\\d.]+) dB, SSIM [\\d.]+, FRC [\\d.]+ px"
                + " \\(1 images; best blur (-?[\\d.]+) dB: ([+-][\\d.]+) dB\\)").matcher(r.err());
        List<String> phases = new ArrayList<>();
        while (m.find()) {
            phases.add(m.group(1));
            assertEquals(blur, Double.parseDouble(m.group(3)), 0.006, m.group()); // one bar for all phases
            assertEquals(Double.parseDouble(m.group(2)) - blur, Double.parseDouble(m.group(4)), 0.011, m.group());
        }
        for (String phase : List.of("base", "pretrain", "gan-1")) {
            assertTrue(phases.contains(phase), phase + " validations against the best blur in:\n" + r.err());
        }
        assertEquals(r.err().split(" validation at step ", -1).length - 1, phases.size(), "every validation line: " + r.err());
        assertTrue(r.err().matches("(?s).*Best generator: PSNR .*; best blur [\\d.]+ dB: [+-][\\d.]+ dB\\); base model.*"),
                r.err());

        Map<?, ?> training = ModelBundle.open(bundle).spec().training();
        Map<?, ?> metrics = (Map<?, ?>) training.get("validation_metrics");
        // train's keys (ModelExport.metrics): the model's scores next to bicubic's and the best blur's
        assertEquals(List.of("images", "psnr", "ssim", "frc_px", "frc_halfbit_px", "bicubic_psnr", "bicubic_ssim",
                "bicubic_frc_px", "smoothed_bicubic_psnr", "smoothed_bicubic_ssim", "smoothed_bicubic_frc_px",
                "smoothed_bicubic_mean_sigma"), List.copyOf(metrics.keySet().stream().map(String::valueOf).toList()));
        // the exported model's own scoring (DJL, same crops, same rule) finds the bar the run was measured against
        assertEquals(blur, ((Number) metrics.get("smoothed_bicubic_psnr")).doubleValue(), 0.006);
        assertEquals(blurSsim, ((Number) metrics.get("smoothed_bicubic_ssim")).doubleValue(), 0.00006);
        Map<?, ?> bestBlur = (Map<?, ?>) ((Map<?, ?>) training.get("validation")).get("best_blur");
        assertNotNull(bestBlur, training.toString());
        assertEquals(blur, ((Number) bestBlur.get("psnr")).doubleValue(), 0.006);
        double exported = ((Number) metrics.get("psnr")).doubleValue();
        String card = Files.readString(bundle.resolve("README.md"));
        Matcher row = Pattern.compile("\\| best Gaussian-smoothed bicubic \\(best blur, mean σ [\\d.]+ LR px\\) \\| (-?[\\d.]+) \\|")
                .matcher(card);
        assertTrue(row.find(), card);
        assertEquals(blur, Double.parseDouble(row.group(1)), 0.006);
        Matcher versus = Pattern.compile("The exported generator is ([+-][\\d.]+) dB / [+-][\\d.]+ SSIM against the best blur")
                .matcher(card);
        assertTrue(versus.find(), card);
        assertEquals(exported - blur, Double.parseDouble(versus.group(1)), 0.006);
        String summary = Files.readString(out.resolve("tiny-blur.work").resolve(NoGanTrainer.SUMMARY));
        assertTrue(summary.contains("\"best_blur\""), summary);
    }

    @Test
    void badInputFailsWithOneLineAndLeavesTheBaseModelAlone(@TempDir Path out) throws Exception {
        Map<String, String> before = hashes(base);
        Path empty = Files.createDirectories(out.resolve("empty"));
        small("-m", base.toString(), "--hr", empty.toString(), "-o", out.resolve("a").toString()).assertFailureAfterLog("no images");
        small("-m", base.toString(), "--hr", hr.toString(), "-o", base.toString()).assertFailure("would overwrite the base model");
        small("-m", "no-such-model", "--hr", hr.toString(), "-o", out.resolve("b").toString()).assertFailure("unknown model");

        // Pairs: a missing partner, then LR of the wrong scale.
        Path lr = Files.createDirectories(out.resolve("lr"));
        try (Stream<Path> s = Files.list(hr)) {
            for (Path f : s.toList()) {
                ImagePlus h = IJ.openImage(f.toString());
                FloatPlane p = new FloatPlane(h.getWidth(), h.getHeight(), (float[]) h.getProcessor().convertToFloatProcessor().getPixels());
                FloatPlane l = Resample.areaDown(p, 4);
                IJ.saveAsTiff(new ImagePlus("l", new ij.process.FloatProcessor(l.width(), l.height(), l.data())),
                        lr.resolve(f.getFileName()).toString());
            }
        }
        small("-m", base.toString(), "--hr", hr.toString(), "--lr", lr.toString(), "-o", out.resolve("c").toString())
                .assertFailureAfterLog("ratio of 4.00", "2 times smaller");
        Files.delete(lr.resolve("em0.tif"));
        small("-m", base.toString(), "--hr", hr.toString(), "--lr", lr.toString(), "-o", out.resolve("d").toString())
                .assertFailureAfterLog("em0.tif has no LR partner");

        Map<String, Object> cfg = NoGanFixtures.tinyTrainingConfig();
        cfg.put("architecture", "rcan");
        Path other = NoGanFixtures.tinyBase(out.resolve("others"), "rcan-like", cfg);
        small("-m", other.toString(), "--hr", hr.toString(), "-o", out.resolve("e").toString())
                .assertFailure("cannot be fine-tuned", "rcan");
        small("-m", base.toString(), "--hr", hr.toString(), "-o", out.resolve("f").toString(), "--drift", "sideways")
                .assertFailure("--drift");
        small("-m", base.toString(), "--hr", hr.toString(), "-o", out.resolve("my model").toString())
                .assertFailure("model name", "'my model'");
        assertEquals(before, hashes(base), "base model files unchanged");
        for (String name : List.of("a", "c", "d", "e", "f", "my model", "my model.work")) {
            assertFalse(Files.exists(out.resolve(name)), name + " must not be written");
        }
    }
}
