package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.testutil.Blobs;
import io.github.decrappify.model.BioimageIoSchema;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.runtime.Versions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code decrappify train} end to end on tiny data: the bundle records a command line that can be retyped. */
class TrainCliTest {

    @TempDir
    Path tmp;

    @Test
    void shellQuotingKeepsArgumentsApart() {
        assertEquals("plain/path-1.tif", Main.shellQuote("plain/path-1.tif"));
        assertEquals("'two words'", Main.shellQuote("two words"));
        assertEquals("''", Main.shellQuote(""));
        assertEquals("'it'\\''s'", Main.shellQuote("it's"));
    }

    @Test
    void trainsAndRecordsTheCommandAndVersions() throws Exception {
        Path hr = trainingImages(10);
        Path val = validationImage(99);
        Path out = tmp.resolve("blobs-x2");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo", "--steps", "3", "--patch", "16", "--batch", "2", "--warmup", "1",
                "--validate-every", "3", "--device", "cpu", "--description", "blobs, two words", "--log-every", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out(), "train prints no result on stdout");
        assertTrue(r.err().strip().endsWith("model bundle written to " + out), "the log ends with where the bundle went: " + r.err());
        ModelBundle b = ModelBundle.open(out);
        Map<?, ?> training = b.spec().training();
        String command = (String) training.get("command");
        assertTrue(command.startsWith("bin/decrappify train -o "), command);
        assertTrue(command.contains("--description 'blobs, two words'"), command);
        assertEquals(Versions.decrappify(), ((Map<?, ?>) training.get("versions")).get("decrappify"));
        assertTrue(Versions.decrappify().matches("\\d+\\.\\d+\\.\\d+.*"), Versions.decrappify());
        // The export measures bf16 against fp32 where the CPU has it (test tensor + the validation image and its truth).
        BundleSpec.Bf16Check bf16 = b.spec().bf16();
        if (Precision.cpuHasNativeBf16()) {
            assertTrue(bf16 != null && bf16.measuredOn().startsWith("test_tensor, validation image "), String.valueOf(bf16));
            assertTrue(bf16.psnrChangeDb() != null && bf16.maxRelDiff() > 0, bf16.toString());
            assertTrue(r.err().contains("bf16 check: " + bf16.summary()), r.err());
        } else {
            assertNull(bf16);
            assertTrue(r.err().contains("bf16 check: not measured (this CPU has no native bf16)"), r.err());
        }
        BioimageIoSchema.assertPublishable(out);
    }

    /** Issue 11 item 5: every validation line says how far above the best blur it is; the bundle is the best step. */
    @Test
    void validationsAreMeasuredAgainstTheBestBlurAndTheBestStepIsExported() throws Exception {
        Path hr = trainingImages(20);
        Path val = validationImage(98);
        Path out = tmp.resolve("best-x2");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo", "--steps", "6", "--patch", "16", "--batch", "2", "--warmup", "1",
                "--validate-every", "2", "--device", "cpu", "--log-every", "3");
        assertEquals(0, r.code(), r.err());
        Pattern line = Pattern.compile("validation at step (\\d+): PSNR (-?[\\d.]+) dB  SSIM [\\d.]+  \\(1 images;"
                + " best blur (-?[\\d.]+) dB: ([+-][\\d.]+) dB\\)");
        Matcher m = line.matcher(r.err());
        Map<Long, Double> psnr = new TreeMap<>();
        double blur = Double.NaN;
        while (m.find()) {
            double p = Double.parseDouble(m.group(2));
            blur = Double.parseDouble(m.group(3));
            assertEquals(p - blur, Double.parseDouble(m.group(4)), 0.011, m.group()); // three rounded figures
            psnr.put(Long.parseLong(m.group(1)), p);
        }
        assertEquals(List.of(0L, 2L, 4L, 6L), List.copyOf(psnr.keySet()), r.err());
        Matcher once = Pattern.compile("best Gaussian-smoothed bicubic on the 1 validation images: PSNR (-?[\\d.]+) dB")
                .matcher(r.err());
        assertTrue(once.find(), r.err());
        assertEquals(blur, Double.parseDouble(once.group(1)), 0.006);
        assertFalse(once.find(), "the baseline is computed and announced once: " + r.err());

        ModelBundle b = ModelBundle.open(out);
        Map<?, ?> training = b.spec().training();
        Map<?, ?> metrics = (Map<?, ?>) training.get("validation_metrics");
        // The same best blur as the exported model's own scoring (same crops, same rule).
        assertEquals(((Number) metrics.get("smoothed_bicubic_psnr")).doubleValue(), blur, 0.006);
        long best = psnr.entrySet().stream().filter(e -> e.getKey() > 0).max(Map.Entry.comparingByValue()).get().getKey();
        assertEquals(best, ((Number) training.get("exported_step")).longValue(), r.err());
        assertEquals("best validation PSNR", training.get("exported_step_rule"));
        // The exported SavedModel, run through DJL, scores what the training graph scored at that step.
        assertEquals(psnr.get(best), ((Number) metrics.get("psnr")).doubleValue(), 0.01, r.err());
        assertTrue(r.err().contains("best validation at step " + best + " of 6"), r.err());
        assertTrue(Files.readString(out.resolve("README.md")).contains("- Weights: step " + best + " of 6, the run's best"),
                Files.readString(out.resolve("README.md")));
    }

    @Test
    void aLicenceOtherToolsWouldRejectFailsBeforeTraining() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Blobs.write(hr.resolve("img0.tif"), 128, 10);
        Path out = tmp.resolve("licensed");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--scale", "2", "--preset", "fluo",
                "--steps", "3", "--device", "cpu", "--license", "LicenseRef-research-only");
        assertEquals(2, r.code(), "a bad option value is a bad command line: " + r.err());
        assertTrue(r.err().startsWith("decrappify train: error: --license: license 'LicenseRef-research-only' is not an SPDX licence"
                + " identifier; bioimage.io accepts SPDX identifiers only"), r.err());
        assertTrue(!Files.exists(tmp.resolve("licensed.work")), "nothing trained");
    }

    @Test
    void aBundleNameThatCannotBeAModelNameFailsBeforeTraining() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Blobs.write(hr.resolve("img0.tif"), 128, 10);
        Path out = tmp.resolve("my model");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--scale", "2", "--preset", "fluo",
                "--steps", "3", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertEquals("decrappify train: error: the --output folder's name becomes the model's name: name must be 1–64 letters,"
                + " digits, '.', '_' or '-' starting with a letter or digit (got 'my model')", r.err().strip());
        assertTrue(!Files.exists(tmp.resolve("my model.work")), "nothing trained, no checkpoint folder");
    }

    @Test
    void validationImagesSmallerThanTheGridAreAClearError() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Blobs.write(hr.resolve("img0.tif"), 128, 1);
        Path val = Files.createDirectories(tmp.resolve("val"));
        Blobs.write(val.resolve("small.tif"), 100, 2);
        Path out = tmp.resolve("never");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo", "--steps", "2", "--patch", "16", "--batch", "2", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("no validation image is large enough") && r.err().contains("128x128")
                && r.err().contains("small.tif (100x100)"), r.err());
        assertTrue(Files.notExists(out), "no bundle");
    }

    @Test
    void theDataRecipeReachesTheBundle() throws Exception {
        Path hr = trainingImages(20);
        Path val = validationImage(98);
        Path out = tmp.resolve("recipe-x2");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo", "--steps", "2", "--patch", "16", "--batch", "2", "--warmup", "1",
                "--device", "cpu", "--norm-percentiles", "0.5,99.5", "--aug-gain", "0.7,1.3", "--aug-offset", "0.05");
        assertEquals(0, r.code(), r.err());
        ModelBundle b = ModelBundle.open(out);
        assertEquals(0.5, b.spec().normalisation().lowPercentile());
        assertEquals(99.5, b.spec().normalisation().highPercentile());
        Map<?, ?> config = (Map<?, ?>) b.spec().training().get("config");
        assertEquals("0.7,1.3", config.get("aug_gain"));
    }

    /** {@code --loss l2} trains on the mean squared error and says so in the log, the history and the card. */
    @Test
    void theL2LossReachesTheLogTheHistoryAndTheCard() throws Exception {
        Path hr = trainingImages(30);
        Path val = validationImage(97);
        Path out = tmp.resolve("l2-x2");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo", "--steps", "2", "--patch", "16", "--batch", "2", "--warmup", "1",
                "--device", "cpu", "--loss", "l2", "--ssim-weight", "0", "--log-every", "1");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("step 2/2  loss ([0-9.]+)  mse ([0-9.]+) ").matcher(r.err());
        assertTrue(m.find(), "progress names the pixel term mse: " + r.err());
        assertEquals(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), 1e-5, "without SSIM the loss is the MSE");
        ModelBundle b = ModelBundle.open(out);
        Map<?, ?> training = b.spec().training();
        assertEquals("l2", ((Map<?, ?>) training.get("config")).get("pixel_loss"));
        assertEquals("step,loss,mse,ssim,lr,val_psnr,val_ssim", training.get("history_header"));
        assertTrue(Files.readString(out.resolve("README.md")).contains("loss L2 (mean squared error)"),
                Files.readString(out.resolve("README.md")));
        assertTrue(((String) training.get("command")).contains("--loss l2"), (String) training.get("command"));
    }

    @Test
    void anUnknownLossOrOneWithSelfSupervisedIsExitTwo() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Blobs.write(hr.resolve("img0.tif"), 128, 10);
        CliTest.Run r = CliTest.run("train", "-o", tmp.resolve("x").toString(), "--hr", hr.toString(), "--scale", "2",
                "--preset", "fluo", "--loss", "huber", "--device", "cpu");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--loss must be l1 or l2, not 'huber'"), r.err());
        assertTrue(Files.notExists(tmp.resolve("x")), "nothing written");
        CliTest.Run s = CliTest.run("train", "-o", tmp.resolve("y").toString(), "--self-supervised", "--images", hr.toString(),
                "--scale", "1", "--loss", "l2", "--device", "cpu");
        assertEquals(2, s.code(), s.err());
        assertTrue(s.err().contains("drop --loss"), s.err());
    }

    /** {@code --residual-highpass}: recorded in the bundle, read back by fine-tuning; out of range is exit 2. */
    @Test
    void theResidualHighpassIsRecordedAndReadBackAndBoundsAreExitTwo() throws Exception {
        Path hr = trainingImages(40);
        Path val = validationImage(96);
        Path out = tmp.resolve("hp-x2");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo",
                "--steps", "2", "--patch", "16", "--batch", "2", "--warmup", "1", "--device", "cpu", "--residual-highpass", "2");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> config = (Map<?, ?>) ModelBundle.open(out).spec().training().get("config");
        assertEquals(2.0, ((Number) config.get("residual_highpass_sigma")).doubleValue());
        assertEquals(2.0, io.github.decrappify.train.nogan.BaseModel.of(ModelBundle.open(out)).config().residualHighpass(),
                "fine-tuning builds the same network");
        CliTest.Run bad = CliTest.run("train", "-o", tmp.resolve("x").toString(), "--hr", hr.toString(), "--scale", "2",
                "--preset", "fluo", "--residual-highpass", "40", "--device", "cpu");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--residual-highpass must be 0 (off) or 0.5..16.0 output pixels, got 40.0"), bad.err());
    }

    /** {@code --widths}: the network is built, recorded, named on the card and read back by fine-tuning; bad widths are exit 2. */
    @Test
    void otherWidthsAreRecordedReadBackAndRestoreAndBadOnesAreExitTwo() throws Exception {
        Path hr = trainingImages(50);
        Path val = validationImage(95);
        Path out = tmp.resolve("narrow-x2");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo", "--steps", "2", "--patch", "16", "--batch", "2", "--warmup", "1",
                "--device", "cpu", "--widths", "8,16,24,40");
        assertEquals(0, r.code(), r.err());
        ModelBundle b = ModelBundle.open(out);
        assertEquals("[8, 16, 24, 40]", ((Map<?, ?>) b.spec().training().get("config")).get("widths"));
        assertEquals(List.of(8, 16, 24, 40), java.util.Arrays.stream(
                io.github.decrappify.train.nogan.BaseModel.of(b).config().widths()).boxed().toList(),
                "fine-tuning finds weights of these shapes in the graph");
        assertTrue(Files.readString(out.resolve("README.md")).contains("unet-s (Decrappify design notes) with widths [8, 16, 24, 40]"),
                Files.readString(out.resolve("README.md")));
        Path restored = tmp.resolve("restored.tif");
        CliTest.Run rr = CliTest.run("restore", "-m", out.toString(), "-i", val.resolve("v.tif").toString(), "-o",
                restored.toString(), "--device", "cpu");
        assertEquals(0, rr.code(), rr.err());
        assertEquals(256, ij.IJ.openImage(restored.toString()).getWidth(), "x2 of the 128 px input");
        CliTest.Run three = CliTest.run("train", "-o", tmp.resolve("x").toString(), "--hr", hr.toString(), "--scale", "2",
                "--preset", "fluo", "--widths", "8,16,32", "--device", "cpu");
        assertEquals(2, three.code(), three.err());
        assertTrue(three.err().contains("--widths needs 4 levels (as unet-s), got 3"), three.err());
        CliTest.Run zero = CliTest.run("train", "-o", tmp.resolve("y").toString(), "--hr", hr.toString(), "--scale", "2",
                "--preset", "fluo", "--widths", "0,16,32,64", "--device", "cpu");
        assertEquals(2, zero.code(), zero.err());
        assertTrue(zero.err().contains("--widths must be 1..1024 channels per level, got [0, 16, 32, 64]"), zero.err());
        assertTrue(Files.notExists(tmp.resolve("x")) && Files.notExists(tmp.resolve("y")), "nothing written");
    }

    /** {@code --frames 3} on sections stored as channels (one plane along Z and T) is refused before training. */
    @Test
    void multiFrameTrainingOnAStackWithoutNeighboursIsRefused() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Path f = hr.resolve("sections-as-channels.tif");
        try (io.github.decrappify.image.TiffStackWriter w = new io.github.decrappify.image.TiffStackWriter(f,
                new io.github.decrappify.image.StackShape(128, 128, 3, 1, 1, 32),
                new io.github.decrappify.image.Calibration(1, 1, 1, "pixel", 0, "sec"), "")) {
            for (int c = 0; c < 3; c++) {
                float[] d = new float[128 * 128];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) Math.sin(i % 128 / (3.0 + c)) + i / 128 / 64f;
                }
                w.writePlane(c, 0, 0, new io.github.decrappify.image.FloatPlane(128, 128, d));
            }
            w.commit();
        }
        Path out = tmp.resolve("f3");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", f.toString(),
                "--scale", "2", "--preset", "fluo", "--frames", "3", "--steps", "2", "--patch", "16", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("sections-as-channels.tif: a 3-frame model needs adjacent planes along Z or T, but it"
                + " has one plane and 3 channels; if those are its sections, store them as slices"), r.err());
        assertTrue(Files.notExists(out), "nothing written");
    }

    /** A folder of two 128² blob images, seeds {@code seed} and {@code seed + 1}. */
    private Path trainingImages(int seed) throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        for (int i = 0; i < 2; i++) {
            Blobs.write(hr.resolve("img" + i + ".tif"), 128, seed + i);
        }
        return hr;
    }

    /** A folder holding one 128² blob image, v.tif. */
    private Path validationImage(int seed) throws Exception {
        Path val = Files.createDirectories(tmp.resolve("val"));
        Blobs.write(val.resolve("v.tif"), 128, seed);
        return val;
    }

    @Test
    void aMalformedRangeNamesItsOption() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Blobs.write(hr.resolve("img0.tif"), 128, 10);
        CliTest.Run r = CliTest.run("train", "-o", tmp.resolve("x").toString(), "--hr", hr.toString(), "--scale", "2",
                "--preset", "fluo", "--aug-gain", "1.3", "--device", "cpu");
        assertTrue(r.code() != 0, r.err());
        assertTrue(r.err().contains("--aug-gain takes two numbers separated by a comma, got '1.3'"), r.err());
    }
}
