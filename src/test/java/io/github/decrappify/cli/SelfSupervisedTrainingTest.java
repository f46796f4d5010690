package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.testutil.Blobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code decrappify train --self-supervised --images DIR -o BUNDLE --scale 1}: noisy images alone (a
 * stack's planes each an image) make a x1 bundle, whose restore keeps the input's size and calibration.
 */
class SelfSupervisedTrainingTest {

    @TempDir
    Path tmp;

    /** A calibrated stack of {@code planes} noisy 96x80 blob images. */
    private Path noisyStack(Path file, int planes) {
        ImageStack s = new ImageStack(96, 80);
        for (int k = 0; k < planes; k++) {
            Path clean = tmp.resolve("clean" + k + ".tif");
            Blobs.write(clean, 96, 20 + k);
            float[] px = (float[]) IJ.openImage(clean.toString()).getProcessor().convertToFloatProcessor().getPixels();
            Random rng = new Random(k);
            float[] noisy = new float[96 * 80];
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] = (float) (px[i] + 300 * rng.nextGaussian());
            }
            s.addSlice(new FloatProcessor(96, 80, noisy));
        }
        ImagePlus imp = new ImagePlus("noisy", s);
        Calibration cal = imp.getCalibration();
        cal.pixelWidth = 0.13;
        cal.pixelHeight = 0.13;
        cal.pixelDepth = 0.5;
        cal.setUnit("micron");
        IJ.saveAsTiff(imp, file.toString());
        return file;
    }

    @Test
    void trainsOnAStackOfNoisyPlanesAndRestoresAtTheSameSizeAndCalibration() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("noisy"));
        Path stack = noisyStack(dir.resolve("stack.tif"), 3);
        Path out = tmp.resolve("n2v-x1");
        CliTest.Run r = CliTest.run("train", "--self-supervised", "--images", dir.toString(), "-o", out.toString(),
                "--scale", "1", "--steps", "4", "--patch", "32", "--batch", "2", "--device", "cpu", "--threads", "1",
                "--log-every", "1", "--checkpoint-every", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("Self-supervised (Noise2Void) training on 3 noisy planes: 1 of every 4 pixels per 32x32"
                + " patch replaced by a neighbour from the 5x5 window and scored"), r.err());
        assertTrue(r.err().contains("step 4/4"), r.err());
        ModelBundle b = ModelBundle.open(out);
        assertEquals(1, b.spec().scale());
        Map<?, ?> training = b.spec().training();
        assertEquals("noisy images only, self-supervised blind-spot training (Noise2Void)", training.get("data_kind"));
        assertEquals(List.of(stack.toString()), training.get("data"));
        Map<?, ?> config = (Map<?, ?>) training.get("config");
        assertEquals(2, ((Number) config.get("mask_cell")).intValue());
        assertEquals(2, ((Number) config.get("mask_radius")).intValue());
        assertEquals(0.0, ((Number) config.get("ssim_weight")).doubleValue());
        double w = ((Number) config.get("centre_weight")).doubleValue();
        assertTrue(w >= 0 && w <= 0.5, "estimated centre weight " + w);
        assertEquals("estimated: 1 - noise variance / output-input mean square", config.get("centre_weight_rule"));
        double sigma2 = ((Number) config.get("centre_noise_variance")).doubleValue();
        double m = ((Number) config.get("centre_mean_square")).doubleValue();
        assertEquals(Math.max(0, Math.min(0.5, 1 - sigma2 / m)), w, 1e-4, "recorded weight = 1 - noise / mean square");
        assertTrue(sigma2 > 0 && m > 0, sigma2 + " " + m);
        assertTrue(r.err().contains("Share of the noisy pixel put back into the blind-spot output: "), r.err());
        assertFalse(training.containsKey("validation_metrics"), "no clean truth, no scores");
        assertTrue(b.spec().crappifier().isEmpty(), "no synthetic degradation was used");
        assertTrue(Files.readString(out.resolve("README.md")).contains("no clean truth to score against"));

        Path restored = tmp.resolve("restored.tif");
        CliTest.Run rr = CliTest.run("restore", "-m", out.toString(), "-i", stack.toString(), "-o", restored.toString(),
                "--device", "cpu");
        assertEquals(0, rr.code(), rr.err());
        ImagePlus res = IJ.openImage(restored.toString());
        assertEquals(96, res.getWidth());
        assertEquals(80, res.getHeight());
        assertEquals(3, res.getStackSize());
        Calibration c = res.getCalibration();
        Calibration given = IJ.openImage(stack.toString()).getCalibration(); // 0.13 as TIFF stores it
        assertEquals(0.13, given.pixelWidth, 1e-6);
        assertEquals(given.pixelWidth, c.pixelWidth, 1e-9);
        assertEquals(given.pixelHeight, c.pixelHeight, 1e-9);
        assertEquals(0.5, c.pixelDepth, 1e-9);
        assertEquals("micron", c.getUnit());
    }

    /**
     * A given --centre-weight is used as given and recorded, in rdf.yaml and on the card (that the folded network
     * computes the blend is CentreWeightFoldTest's; two trainings are not bit-identical, so not compared here).
     */
    @Test
    void aGivenCentreWeightIsUsedAndRecorded() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("noisy"));
        noisyStack(dir.resolve("stack.tif"), 2);
        Path out = tmp.resolve("n2v-w");
        CliTest.Run r = CliTest.run("train", "--self-supervised", "--images", dir.toString(), "-o", out.toString(),
                "--scale", "1", "--steps", "2", "--patch", "32", "--batch", "2", "--device", "cpu", "--threads", "1",
                "--centre-weight", "0.3");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> config = (Map<?, ?>) ModelBundle.open(out).spec().training().get("config");
        assertEquals(0.3, ((Number) config.get("centre_weight")).doubleValue(), 1e-9);
        assertEquals("given (--centre-weight)", config.get("centre_weight_rule"));
        assertFalse(config.containsKey("centre_noise_variance"));
        assertTrue(r.err().contains("put back into the blind-spot output: 0.300"), r.err());
        assertTrue(Files.readString(out.resolve("README.md")).contains("blends back 0.300 of the noisy pixel itself (given"
                + " with --centre-weight"), Files.readString(out.resolve("README.md")));
    }

    @Test
    void aCentreWeightOutsideItsRangeIsABadCommandLine() {
        CliTest.Run r = CliTest.run("train", "--self-supervised", "--images", tmp.toString(), "-o",
                tmp.resolve("m").toString(), "--scale", "1", "--centre-weight", "0.8");
        assertEquals(2, r.code(), r.err());
        assertEquals("decrappify train: error: --centre-weight must be auto or a number from 0 to 0.5, not 0.8 (see"
                + " 'decrappify train --help')", r.err().strip());
        CliTest.Run s = CliTest.run("train", "--hr", tmp.toString(), "-o", tmp.resolve("m").toString(), "--scale", "4",
                "--centre-weight", "0.1");
        assertEquals(2, s.code(), s.err());
        assertTrue(s.err().contains("--centre-weight is for --self-supervised training"), s.err());
    }

    @Test
    void aResumedRunContinuesFromItsCheckpoint() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("noisy"));
        noisyStack(dir.resolve("stack.tif"), 2);
        Path out = tmp.resolve("n2v-resume");
        String[] args = {"train", "--self-supervised", "--images", dir.toString(), "-o", out.toString(), "--scale", "1",
                "--steps", "3", "--patch", "32", "--batch", "2", "--device", "cpu", "--threads", "1", "--log-every", "1"};
        assertEquals(0, CliTest.run(args).code());
        String[] resume = java.util.Arrays.copyOf(args, args.length + 2);
        resume[args.length] = "--resume";
        resume[args.length + 1] = "--overwrite";
        CliTest.Run r = CliTest.run(resume);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("Resuming from step 3"), r.err());
        assertFalse(r.err().contains("step 1/3"), "no step is repeated: " + r.err());
        String[] other = java.util.Arrays.copyOf(resume, resume.length + 2);
        other[resume.length] = "--mask-fraction";
        other[resume.length + 1] = "0.04";
        CliTest.Run o = CliTest.run(other);
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().contains("was made with other settings"), o.err());
    }

    @Test
    void aX4BaseModelIsRefusedInOneLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("noisy"));
        noisyStack(dir.resolve("stack.tif"), 2);
        CliTest.Run r = CliTest.run("train", "--self-supervised", "--images", dir.toString(), "-o",
                tmp.resolve("ft-x1").toString(), "--scale", "1", "-m", "em-x4-unet-s", "--steps", "2", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertEquals("decrappify train: error: base model 'em-x4-unet-s' is x4 with 1 input frame(s); self-supervised"
                + " fine-tuning needs a x1 single-frame model (a denoiser): choose another -m, or leave it out to train"
                + " from scratch", r.err().strip());
    }
}
