package io.github.decrappify.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ShortProcessor;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.Checksums;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.testutil.TestBundles;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolving a restoration once (bundle, settings, QC) and loading its model once, as the CLI, Fiji and Spark do. */
class RestoreSessionTest {

    @TempDir
    static Path dir;
    static Path bundle;
    static ModelStore store;

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("java.awt.headless", "true");
        bundle = TestBundles.create(dir.resolve("models"), "unet-x2", 2);
        store = ModelStore.standard(null);
    }

    @Test
    void resolvingReadsTheBundleAndTheOverridesWithoutLoading() throws Exception {
        RestoreSession plain = RestoreSession.resolve(store, bundle.toString(), RestoreRequest.defaults(), false, false);
        assertEquals(2, plain.settings().scale());
        assertEquals(TestBundles.TILE, plain.settings().tile());
        assertEquals(TestBundles.HALO, plain.settings().overlap());
        assertEquals(1.0, plain.settings().lowPercentile());
        assertEquals(99.8, plain.settings().highPercentile());
        assertNull(plain.qc());
        assertEquals(Checksums.sha256(bundle.resolve("weights.zip")), plain.weightsId());
        assertEquals("load the session's model first", assertThrows(IllegalStateException.class, plain::model).getMessage());
        assertThrows(IllegalStateException.class, () -> plain.restorer(RestoreListener.NONE));

        RestoreSession custom = RestoreSession.resolve(store, bundle.toString(),
                new RestoreRequest(128, 8, RestoreSettings.OutType.SAME, true, false), true, true);
        assertEquals(128, custom.settings().tile());
        assertEquals(8, custom.settings().overlap());
        assertEquals(RestoreSettings.OutType.SAME, custom.settings().outType());
        assertTrue(custom.settings().overwrite());
        assertTrue(custom.tta());
        assertEquals(2, custom.qc().scale());
        assertEquals("no crappifier recorded in the bundle: area downsampling (blur sigma 0.00 HR px, area downsampling x2)",
                custom.qc().describe());

        BundleException unknown = assertThrows(BundleException.class,
                () -> RestoreSession.resolve(store, "no-such-model", RestoreRequest.defaults(), false, false));
        assertTrue(unknown.getMessage().contains("unknown model 'no-such-model'"), unknown.getMessage());
    }

    @Test
    void aLoadedSessionRestoresWithItsSettingsAndChecksAndSaysSo() throws Exception {
        ShortProcessor sp = new ShortProcessor(40, 36);
        for (int i = 0; i < 40 * 36; i++) {
            sp.set(i, 500 + (i * 37) % 1500);
        }
        Path in = dir.resolve("cells.tif");
        assertTrue(IJ.saveAsTiff(new ImagePlus("cells.tif", sp), in.toString()));
        Path out = dir.resolve("cells_x2.tif");
        RestoreSession resolved = RestoreSession.resolve(store, bundle.toString(),
                new RestoreRequest(32, 8, RestoreSettings.OutType.FLOAT, false, false), true, false);
        try (RestoreSession session = resolved.load(Device.CPU, Precision.FP32)) {
            assertThrows(IllegalStateException.class, () -> session.load(Device.CPU, Precision.FP32));
            Restorer restorer = session.restorer(RestoreListener.NONE);
            assertTrue(restorer.tta());
            assertNull(restorer.qc());
            assertEquals(Restorer.Outcome.RESTORED, restorer.restoreFile(in, out));
            String info = IJ.openImage(out.toString()).getInfoProperty();
            assertEquals(session.provenance().describe("cells.tif"), info);
            assertTrue(info.contains("(scale 2) on CPU") && info.contains(" in fp32 (asked)")
                    && info.endsWith("; tile 32, overlap 8 LR px; 32-bit float output; mean of the 8 flips/rotations"
                            + " (test-time augmentation)"), info);
            assertEquals(80, IJ.openImage(out.toString()).getWidth());
            assertTrue(Restorer.uncertaintyFile(out).toFile().isFile());
        }
    }
}
