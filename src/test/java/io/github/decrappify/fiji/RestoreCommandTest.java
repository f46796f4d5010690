package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.metrics.Baselines;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.runtime.Device;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

class RestoreCommandTest {

    static final String MODEL = "tiny-x2";
    static final int W = 40;
    static final int H = 36;

    @TempDir
    static Path dir;

    static Path bundle;
    static CommandHarness harness;

    @BeforeAll
    static void setUp() throws Exception {
        harness = new CommandHarness();
        bundle = TinyBundles.write(dir, MODEL, 2);
    }

    @AfterAll
    static void tearDown() {
        harness.close();
    }

    /** 2 channels x 3 slices of smooth 16-bit structure, 0.1 micron pixels. */
    static ImagePlus hyperstack() {
        ImageStack stack = new ImageStack(W, H);
        for (int z = 0; z < 3; z++) {
            for (int c = 0; c < 2; c++) {
                ShortProcessor sp = new ShortProcessor(W, H);
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        sp.set(x, y, (int) (2000 + 800 * Math.sin(x / (3.0 + c)) * Math.cos(y / 4.0) + 300 * z + 40 * x));
                    }
                }
                stack.addSlice("c" + c + " z" + z, sp);
            }
        }
        ImagePlus imp = new ImagePlus("cells.tif", stack);
        imp.setDimensions(2, 3, 1);
        imp.setOpenAsHyperStack(true);
        Calibration cal = imp.getCalibration();
        cal.pixelWidth = 0.1;
        cal.pixelHeight = 0.1;
        cal.pixelDepth = 0.5;
        cal.setUnit("micron");
        return imp;
    }

    static Map<String, Object> inputs(ImagePlus image, String model) {
        Map<String, Object> in = new HashMap<>();
        in.put("image", image);
        in.put("model", model);
        in.put("tile", 0);
        in.put("overlap", -1);
        in.put("device", "cpu");
        in.put("pixels", "32-bit float");
        return in;
    }

    static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** ImageJ would title a 2x image of quarter "pixels" "W x H pixels (2W x 2H)": it must stay plain pixels. */
    @Test
    void uncalibratedInputGivesUncalibratedOutput() throws Exception {
        ImagePlus input = hyperstack();
        input.setCalibration(new Calibration());
        CommandModule module = harness.run(RestoreCommand.class, inputs(input, bundle.toString()));
        assertTrue(!module.isCanceled(), () -> "canceled: " + module.getCancelReason());
        ImagePlus out = (ImagePlus) module.getOutput("restored");
        assertEquals(2 * W, out.getWidth());
        assertFalse(out.getCalibration().scaled(), out.getCalibration().toString());
        assertEquals(1.0, out.getCalibration().pixelWidth, 0);
        assertEquals("pixel", out.getCalibration().getUnit());
    }

    @Test
    void restoresHyperstackIntoNewCalibratedImage() throws Exception {
        ImagePlus input = hyperstack();
        CommandModule module = harness.run(RestoreCommand.class, inputs(input, bundle.toString()));
        assertTrue(!module.isCanceled(), () -> "canceled: " + module.getCancelReason());
        ImagePlus out = (ImagePlus) module.getOutput("restored");
        assertEquals(2 * W, out.getWidth());
        assertEquals(2 * H, out.getHeight());
        assertEquals(2, out.getNChannels());
        assertEquals(3, out.getNSlices());
        assertEquals(1, out.getNFrames());
        assertEquals(32, out.getBitDepth());
        assertEquals(0.05, out.getCalibration().pixelWidth, 1e-12);
        assertEquals(0.05, out.getCalibration().pixelHeight, 1e-12);
        assertEquals(0.5, out.getCalibration().pixelDepth, 1e-12);
        assertEquals("micron", out.getCalibration().getUnit());
        assertEquals("cells.tif restored by " + MODEL, out.getTitle());
        String info = out.getInfoProperty();
        assertTrue(info.contains("model " + MODEL) && info.contains("CPU"), info);
        assertEquals("c1 z2", out.getStack().getSliceLabel(out.getStackIndex(2, 3, 1)));
        for (int i = 1; i <= 6; i++) {
            float[] restored = (float[]) out.getStack().getPixels(i);
            for (float v : restored) {
                assertTrue(Float.isFinite(v));
            }
            float[] lr = (float[]) input.getStack().getProcessor(i).convertToFloatProcessor().getPixels();
            FloatPlane bicubic = Baselines.bicubic(new FloatPlane(W, H, lr), 2);
            double r = correlation(restored, bicubic.data());
            assertTrue(r > 0.9, "plane " + i + ": correlation with bicubic " + r);
        }
        assertTrue(harness.sawStatus("Decrappify: restoring on CPU"), harness.status.toString());
        assertTrue(harness.sawStatus("plane 6/6"), harness.status.toString());
    }

    @Test
    void sameBitDepthGivesSixteenBit() throws Exception {
        Map<String, Object> in = inputs(hyperstack(), bundle.toString());
        in.put("pixels", "same as input");
        in.put("tile", 16);
        in.put("overlap", 4);
        CommandModule module = harness.run(RestoreCommand.class, in);
        ImagePlus out = (ImagePlus) module.getOutput("restored");
        assertEquals(16, out.getBitDepth());
        assertEquals(6, out.getStackSize());
        assertTrue(out.getInfoProperty().contains("tile 16, overlap 4"), out.getInfoProperty());
    }

    @Test
    void rgbImageFailsWithOneLineMessageAndNoOutput() throws Exception {
        ImagePlus rgb = new ImagePlus("photo.jpg", new ColorProcessor(32, 32));
        CommandModule module = harness.run(RestoreCommand.class, inputs(rgb, bundle.toString()));
        assertTrue(module.isCanceled());
        assertTrue(module.getCancelReason().contains("RGB"), module.getCancelReason());
        assertTrue(!module.getCancelReason().contains("\n"));
        assertNull(module.getOutput("restored"));
        assertTrue(harness.errors.stream().anyMatch(e -> e.contains("photo.jpg is an RGB image")), harness.errors.toString());
    }

    @Test
    void missingOrUnknownModelFails() throws Exception {
        CommandModule blank = harness.run(RestoreCommand.class, inputs(hyperstack(), " "));
        assertTrue(blank.isCanceled());
        assertTrue(blank.getCancelReason().startsWith("No model given"), blank.getCancelReason());
        assertNull(blank.getOutput("restored"));

        CommandModule unknown = harness.run(RestoreCommand.class, inputs(hyperstack(), "no-such-model"));
        assertTrue(unknown.isCanceled());
        assertTrue(unknown.getCancelReason().contains("unknown model 'no-such-model'"), unknown.getCancelReason());
        assertNull(unknown.getOutput("restored"));
    }

    /**
     * Macros written before the precision choice (no precision=) run as auto, which is fp32 for a bundle recording no
     * bf16 check; bf16 asked for on the CPU runs the oneDNN bf16 rewrite, names it in the image info and stays within
     * 2 % of the range of the fp32 result.
     */
    @Test
    void precisionDefaultsToAutoAndBf16IsAskedFor() throws Exception {
        ImagePlus input = hyperstack();
        CommandModule plain = harness.run(RestoreCommand.class, inputs(input, bundle.toString()));
        assertTrue(!plain.isCanceled(), () -> "canceled: " + plain.getCancelReason());
        ImagePlus fp32 = (ImagePlus) plain.getOutput("restored");
        assertTrue(fp32.getInfoProperty().contains(" in fp32 (the bundle records no bf16 check)")
                || fp32.getInfoProperty().contains(" in fp32 (no native bf16 on this CPU)"), fp32.getInfoProperty());
        Map<String, Object> in = inputs(input, bundle.toString());
        in.put("precision", "bf16");
        CommandModule module = harness.run(RestoreCommand.class, in);
        assertTrue(!module.isCanceled(), () -> "canceled: " + module.getCancelReason());
        ImagePlus bf16 = (ImagePlus) module.getOutput("restored");
        assertTrue(bf16.getInfoProperty().contains(" in bf16 (asked"), bf16.getInfoProperty());
        for (int i = 1; i <= fp32.getStackSize(); i++) {
            float[] a = (float[]) fp32.getStack().getPixels(i);
            float[] b = (float[]) bf16.getStack().getPixels(i);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            double maxDiff = 0;
            for (int k = 0; k < a.length; k++) {
                min = Math.min(min, a[k]);
                max = Math.max(max, a[k]);
                maxDiff = Math.max(maxDiff, Math.abs(a[k] - b[k]));
            }
            assertTrue(maxDiff <= 0.02 * (max - min), "plane " + i + ": bf16 differs by " + maxDiff + " of " + (max - min));
        }
    }

    @Test
    void badSettingsFail() throws Exception {
        Map<String, Object> in = inputs(hyperstack(), bundle.toString());
        in.put("device", "tpu");
        CommandModule module = harness.run(RestoreCommand.class, in);
        assertTrue(module.isCanceled());
        assertTrue(module.getCancelReason().contains("Unknown device 'tpu'"), module.getCancelReason());
    }

    @Test
    void largeOutputGoesToVirtualStack() throws Exception {
        ImagePlus input = hyperstack();
        ImagePlus out = new ImageRestorer(ModelStore.standard(null)).optMemoryBudget(0)
                .restore(input, bundle.toString(), RestoreRequest.defaults(), Device.CPU, new RestoreProgress() {
                });
        assertTrue(out.getStack().isVirtual());
        assertEquals(2 * W, out.getWidth());
        assertEquals(2, out.getNChannels());
        assertEquals(3, out.getNSlices());
        assertEquals(0.05, out.getCalibration().pixelWidth, 1e-12);
        assertEquals("cells.tif restored by " + MODEL, out.getTitle());
        ImagePlus inMemory = new ImageRestorer(ModelStore.standard(null))
                .restore(input, bundle.toString(), RestoreRequest.defaults(), Device.CPU, new RestoreProgress() {
                });
        for (int i = 1; i <= 6; i++) {
            float[] a = (float[]) out.getStack().getProcessor(i).getPixels();
            float[] b = (float[]) inMemory.getStack().getPixels(i);
            for (int k = 0; k < a.length; k += 37) {
                assertEquals(b[k], a[k], 1e-3 * Math.abs(b[k]) + 1e-3);
            }
        }
    }

    @Test
    void cancelStopsBetweenTiles() {
        int[] tiles = {0};
        RestoreProgress cancelAfterTwo = new RestoreProgress() {
            @Override
            public void tile(int done, int total) {
                tiles[0]++;
            }

            @Override
            public boolean cancelRequested() {
                return tiles[0] >= 2;
            }
        };
        RestoreRequest smallTiles = new RestoreRequest(16, 4, null, false, false);
        assertThrows(CancellationException.class, () -> new ImageRestorer(ModelStore.standard(null))
                .restore(hyperstack(), bundle.toString(), smallTiles, Device.CPU, cancelAfterTwo));
        assertEquals(2, tiles[0]);
    }
}
