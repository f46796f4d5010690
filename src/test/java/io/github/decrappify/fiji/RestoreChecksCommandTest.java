package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.runtime.Device;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

/** Restore… with test-time augmentation and the QC map: both open beside the result. */
class RestoreChecksCommandTest {

    @TempDir
    static Path dir;

    static Path bundle;
    static CommandHarness harness;

    @BeforeAll
    static void setUp() throws Exception {
        harness = new CommandHarness();
        bundle = TinyBundles.write(dir, "tiny-x2", 2);
    }

    @AfterAll
    static void tearDown() {
        harness.close();
    }

    @Test
    void ttaAndQcGiveTwoMoreImages() throws Exception {
        ImagePlus input = RestoreCommandTest.hyperstack(); // 2 channels x 3 slices, 40x36, 0.1 micron
        Map<String, Object> in = RestoreCommandTest.inputs(input, bundle.toString());
        in.put("tta", true);
        in.put("qc", true);
        CommandModule module = harness.run(RestoreCommand.class, in);
        assertTrue(!module.isCanceled(), () -> "canceled: " + module.getCancelReason());
        ImagePlus out = (ImagePlus) module.getOutput("restored");
        ImagePlus spread = (ImagePlus) module.getOutput("uncertainty");
        ImagePlus map = (ImagePlus) module.getOutput("qcMap");
        assertTrue(out.getInfoProperty().contains("test-time augmentation"), out.getInfoProperty());

        assertEquals("cells.tif TTA uncertainty (tiny-x2)", spread.getTitle());
        assertEquals(80, spread.getWidth());
        assertEquals(2, spread.getNChannels());
        assertEquals(3, spread.getNSlices());
        assertEquals(0.05, spread.getCalibration().pixelWidth, 1e-12);
        float[] s = (float[]) spread.getStack().getProcessor(1).getPixels();
        double mean = 0;
        for (float v : s) {
            assertTrue(v >= 0);
            mean += v / s.length;
        }
        assertTrue(mean > 0, "an untrained network differs between orientations");

        assertEquals("cells.tif QC map (tiny-x2)", map.getTitle());
        assertEquals(40, map.getWidth());
        assertEquals(36, map.getHeight());
        assertEquals(2, map.getNChannels());
        assertEquals(3, map.getNSlices());
        assertEquals(0.1, map.getCalibration().pixelWidth, 1e-12);
        for (int i = 1; i <= 6; i++) {
            assertTrue(map.getStack().getSliceLabel(i).matches("RSE [0-9.e+-]+ RSP -?[0-9.]+"), map.getStack().getSliceLabel(i));
        }
        assertTrue(map.getInfoProperty().contains("c,z,t,rse,rsp,gain,offset"), map.getInfoProperty());
        assertTrue(harness.log.stream().anyMatch(l -> l.contains("QC of cells.tif: RSE")), harness.log.toString());
    }

    @Test
    void withoutChecksThereAreNoExtraImages() throws Exception {
        CommandModule module = harness.run(RestoreCommand.class,
                RestoreCommandTest.inputs(RestoreCommandTest.hyperstack(), bundle.toString()));
        assertNull(module.getOutput("uncertainty"));
        assertNull(module.getOutput("qcMap"));
    }

    @Test
    void checksAlsoWorkWhenTheResultGoesToAVirtualStack() throws Exception {
        ImagePlus input = RestoreCommandTest.hyperstack();
        ImageRestorer.Result r = new ImageRestorer(ModelStore.standard(null)).optMemoryBudget(0)
                .restore(input, bundle.toString(), RestoreRequest.defaults(), true, true, Device.CPU, new RestoreProgress() {
                });
        assertTrue(r.image().getStack().isVirtual());
        assertTrue(r.uncertainty().getStack().isVirtual());
        assertEquals(6, r.qcMap().getStackSize());
        assertEquals(6, r.qc().rows().size());
        assertEquals(0.1, r.qcMap().getCalibration().pixelWidth, 1e-12);
    }
}
