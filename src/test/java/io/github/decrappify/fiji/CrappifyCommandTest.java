package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifyImages;
import io.github.decrappify.crappify.Presets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;

class CrappifyCommandTest {

    static ImagePlus twoSlices() {
        ImageStack stack = new ImageStack(64, 48);
        for (int z = 0; z < 2; z++) {
            ShortProcessor sp = new ShortProcessor(64, 48);
            for (int i = 0; i < 64 * 48; i++) {
                sp.set(i, 1000 + (i * 31 + z * 500) % 3000);
            }
            stack.addSlice(sp);
        }
        ImagePlus imp = new ImagePlus("hr.tif", stack);
        imp.getCalibration().pixelWidth = 0.1;
        imp.getCalibration().pixelHeight = 0.1;
        imp.getCalibration().setUnit("micron");
        return imp;
    }

    static Map<String, Object> inputs(ImagePlus image) {
        Map<String, Object> in = new HashMap<>();
        in.put("image", image);
        in.put("preset", "em");
        in.put("scale", 4);
        in.put("seed", 3L);
        in.put("random", false);
        return in;
    }

    @Test
    void makesSmallerImageWithScaledCalibrationLikeTheCli() throws Exception {
        ImagePlus hr = twoSlices();
        try (CommandHarness harness = new CommandHarness()) {
            CommandModule module = harness.run(CrappifyCommand.class, inputs(hr));
            assertFalse(module.isCanceled(), () -> module.getCancelReason());
            ImagePlus lr = (ImagePlus) module.getOutput("crappified");
            assertEquals(16, lr.getWidth());
            assertEquals(12, lr.getHeight());
            assertEquals(2, lr.getNSlices());
            assertEquals(32, lr.getBitDepth());
            assertEquals(0.4, lr.getCalibration().pixelWidth, 1e-12);
            assertEquals("hr.tif crappified", lr.getTitle());
            assertTrue(lr.getInfoProperty().contains("crappified by Decrappify"));
            // The CLI runs the same code with the same seed: identical pixels.
            ImagePlus cli = CrappifyImages.crappify(hr, new Crappifier(Presets.em(4)), false, new Random(3));
            for (int i = 1; i <= 2; i++) {
                assertArrayEquals((float[]) cli.getStack().getPixels(i), (float[]) lr.getStack().getPixels(i));
            }
        }
    }

    @Test
    void refusesRgbAndUnknownPreset() throws Exception {
        try (CommandHarness harness = new CommandHarness()) {
            CommandModule rgb = harness.run(CrappifyCommand.class, inputs(new ImagePlus("rgb", new ColorProcessor(32, 32))));
            assertTrue(rgb.isCanceled());
            assertTrue(rgb.getCancelReason().contains("not a grayscale image"), rgb.getCancelReason());
            assertNull(rgb.getOutput("crappified"));

            Map<String, Object> in = inputs(twoSlices());
            in.put("preset", "confocal");
            CommandModule unknown = harness.run(CrappifyCommand.class, in);
            assertTrue(unknown.isCanceled());
            assertTrue(unknown.getCancelReason().contains("unknown preset 'confocal'"), unknown.getCancelReason());
        }
    }
}
