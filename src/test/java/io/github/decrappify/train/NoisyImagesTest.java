package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import io.github.decrappify.model.BundleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoisyImagesTest {

    @TempDir
    Path tmp;

    private static FloatProcessor noise(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] px = new float[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = 100 + 10 * (float) r.nextGaussian() + i % w;
        }
        return new FloatProcessor(w, h, px);
    }

    private Path tiff(String name, FloatProcessor... planes) {
        ImageStack s = new ImageStack(planes[0].getWidth(), planes[0].getHeight());
        for (FloatProcessor p : planes) {
            s.addSlice(p);
        }
        Path f = tmp.resolve(name);
        IJ.saveAsTiff(new ImagePlus(name, s), f.toString());
        return f;
    }

    private static List<TrainingPair> read(Path p, int patch) throws Exception {
        return NoisyImages.read(List.of(p), BundleSpec.PercentileRange.DEFAULT, patch, "--images");
    }

    @Test
    void everyPlaneOfAStackIsAnImageNormalisedAndItsOwnTarget() throws Exception {
        Path stack = tiff("stack.tif", noise(64, 48, 1), noise(64, 48, 2), noise(64, 48, 3));
        List<TrainingPair> d = read(stack, 16);
        assertEquals(List.of("stack.tif z1", "stack.tif z2", "stack.tif z3"), d.stream().map(TrainingPair::name).toList());
        for (TrainingPair p : d) {
            assertSame(p.hr(), p.lr(), "input and target are the same noisy plane");
            assertEquals(64, p.hr().width());
            assertEquals(48, p.hr().height());
            float[] v = p.hr().data().clone();
            java.util.Arrays.sort(v);
            // 1st and 99.8th percentiles map to 0 and 1
            assertEquals(0, v[(int) (0.01 * (v.length - 1))], 0.02);
            assertEquals(1, v[(int) (0.998 * (v.length - 1))], 0.02);
        }
    }

    @Test
    void aFolderIsReadInNameOrderAndOtherFilesAreIgnored() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("noisy"));
        IJ.saveAsTiff(new ImagePlus("b", noise(32, 32, 1)), dir.resolve("b.tif").toString());
        IJ.saveAsTiff(new ImagePlus("a", noise(32, 32, 2)), dir.resolve("a.tif").toString());
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        List<TrainingPair> d = read(dir, 16);
        assertEquals(List.of("a.tif", "b.tif"), d.stream().map(TrainingPair::name).toList());
    }

    @Test
    void badInputFailsAsForTheOtherCommands() throws Exception {
        assertEquals("training data not found: " + tmp.resolve("nope"),
                assertThrows(IOException.class, () -> read(tmp.resolve("nope"), 16)).getMessage());
        Path rgb = tmp.resolve("rgb.tif");
        IJ.saveAsTiff(new ImagePlus("rgb", new ColorProcessor(64, 64)), rgb.toString());
        // The reader restore uses, with its message (issue 13 item 10).
        assertTrue(assertThrows(TrainingException.class, () -> read(rgb, 16)).getMessage()
                .contains("rgb.tif is an RGB image; convert to 8/16/32-bit grayscale"));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(assertThrows(IOException.class, () -> read(empty, 16)).getMessage().startsWith("no images (.tif"));
    }

    @Test
    void planesSmallerThanAPatchAreNamed() throws Exception {
        Path stack = tiff("small.tif", noise(40, 70, 1), noise(40, 70, 2));
        TrainingException e = assertThrows(TrainingException.class, () -> read(stack, 64));
        assertEquals("2 of 2 planes in --images are smaller than the 64x64 training patch (small.tif z1 40x70, small.tif z2"
                + " 40x70): give larger images or a smaller patch size (a multiple of 8)", e.getMessage());
    }

    @Test
    void tooFewPatchesInAllImagesTogetherIsAnError() throws Exception {
        Path one = tiff("one.tif", noise(100, 130, 1)); // 1x2 patches of 64
        TrainingException e = assertThrows(TrainingException.class, () -> read(one, 64));
        assertEquals("self-supervised training needs at least 8 patches of 64x64 pixels in all images together; --images"
                + " holds 2 (1 plane): give more or larger noisy images", e.getMessage());
        assertEquals(1, read(one, 32).size(), "3x4 = 12 patches of 32 are enough");
    }
}
