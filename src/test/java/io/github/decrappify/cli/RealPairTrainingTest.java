package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
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

/** {@code decrappify train --lr} at scale 1: several noisy frames per clean target, matched by name. */
class RealPairTrainingTest {

    @TempDir
    Path tmp;

    /** Targets {@code fovK_gt_avg.tif} and {@code frames} noisy frames {@code fovK_raw<i>.tif} of each. */
    private Path[] data(int fields, int frames) throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("gt"));
        Path lr = Files.createDirectories(tmp.resolve("raw"));
        for (int k = 1; k <= fields; k++) {
            Path target = hr.resolve("fov" + k + "_gt_avg.tif");
            Blobs.write(target, 96, k);
            ImagePlus clean = IJ.openImage(target.toString());
            float[] px = (float[]) clean.getProcessor().convertToFloatProcessor().getPixels();
            Random rng = new Random(k);
            for (int f = 0; f < frames; f++) {
                float[] noisy = new float[px.length];
                for (int i = 0; i < px.length; i++) {
                    noisy[i] = (float) (px[i] + 400 * rng.nextGaussian());
                }
                IJ.saveAsTiff(new ImagePlus("n", new FloatProcessor(96, 96, noisy)), lr.resolve("fov" + k + "_raw" + f + ".tif").toString());
            }
        }
        return new Path[] {hr, lr};
    }

    @Test
    void noisyFramesTrainAgainstTheirSharedTargetAndHoldOutWholeFields() throws Exception {
        Path[] d = data(4, 3);
        Path out = tmp.resolve("pairs-x1");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", d[0].toString(), "--lr", d[1].toString(),
                "--scale", "1", "--val-fraction", "0.25", "--steps", "3", "--patch", "32", "--batch", "2", "--warmup", "1",
                "--validate-every", "3", "--device", "cpu", "--log-every", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("Training on 9 planes from 3 files (real LR partners from " + d[1] + ", no synthetic noise)"
                + "; validating on 1 files"), r.err());
        Map<?, ?> training = ModelBundle.open(out).spec().training();
        List<?> data = (List<?>) training.get("data");
        assertEquals(12, data.size(), "3 targets and their 9 noisy frames: " + data);
        assertTrue(data.stream().noneMatch(p -> p.toString().contains("fov4")), "field 4 is held out: " + data);
        assertEquals(List.of(d[0].resolve("fov4_gt_avg.tif").toString()), training.get("validation_data"));
        assertEquals(3, ((Map<?, ?>) training.get("validation_metrics")).get("images"), "its 3 noisy frames validate");
        assertTrue(training.get("data_kind").toString().startsWith("real HR/LR pairs"), training.toString());
    }

    @Test
    void mismatchedNamesStopBeforeTrainingWithOneLine() throws Exception {
        Path[] d = data(2, 1);
        Files.move(d[1].resolve("fov2_raw0.tif"), d[1].resolve("cell2_raw0.tif"));
        Path out = tmp.resolve("never");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", d[0].toString(), "--lr", d[1].toString(),
                "--scale", "1", "--steps", "2", "--patch", "32", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertEquals("decrappify train: error: LR cell2_raw0.tif matches no HR file by name: an LR file pairs with the HR"
                + " file of the same name or sharing the most leading name parts (split at _ - . or space)", r.err().strip());
        assertTrue(Files.notExists(out));
    }

    @Test
    void separateValidationTargetsNeedTheirNoisyPartners() throws Exception {
        Path[] d = data(2, 1);
        CliTest.Run r = CliTest.run("train", "-o", tmp.resolve("never").toString(), "--hr", d[0].toString(), "--lr",
                d[1].toString(), "--val-hr", d[0].toString(), "--scale", "1", "--steps", "2", "--patch", "32", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertEquals("decrappify train: error: validation HR images of real pairs need their noisy partners: give the"
                + " validation LR folder too (--val-lr)", r.err().strip());
    }

    @Test
    void helpSaysHowNamesAreMatched() {
        CliTest.Run r = CliTest.run("train", "--help");
        assertEquals(0, r.code());
        String help = r.out().replaceAll("\\s+", "");
        assertTrue(help.contains("sharingthemostleadingparts(fov11_raw0..49.png->fov11_gt_avg50.png);severalLRfilesmayshare"
                + "oneHRfile"), help);
    }
}
