package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.testutil.TestBundles;
import io.github.decrappify.volume.Volumes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code decrappify restore} with OME-Zarr input and output and the real TensorFlow unet-s: the
 * block-wise OME-Zarr result equals the plane-by-plane TIFF result of the same input.
 */
class RestoreZarrCommandTest {

    static final String MODEL = "unet-x2";

    @TempDir
    static Path shared;
    static Path models;

    @TempDir
    Path dir;

    @BeforeAll
    static void bundle() throws Exception {
        System.setProperty("java.awt.headless", "true");
        models = shared.resolve("models");
        TestBundles.create(models, MODEL, 2);
    }

    private static Cli.Result restore(Path in, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("restore", "-m", MODEL, "-i", in.toString(), "-o",
                out.toString(), "--models-dir", models.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void omeZarrOutputEqualsTheTiffPathAndCarriesTheCalibration() throws Exception {
        StackShape shape = new StackShape(150, 130, 1, 3, 1, 16);
        Path in = Volumes.write(dir.resolve("em.ome.zarr"), shape, new Calibration(8, 8, 50, "nm", 0, "sec"),
                new int[] {2, 64, 64});
        Path tif = dir.resolve("em_x2.tif");
        Path zarr = dir.resolve("em_x2.ome.zarr");
        restore(in, tif).assertSuccessWithLog();
        Cli.Result r = restore(in, zarr, "--chunk", "96").assertSuccessWithLog();
        assertTrue(r.err().contains("tasks"), r.err());
        OmeZarr out = OmeZarr.open(zarr);
        assertEquals(new StackShape(300, 260, 1, 3, 1, 32), out.shape());
        assertEquals(4, out.calibration().pixelWidth(), 1e-12);
        assertEquals("nm", out.calibration().unit());
        double maxDiff = 0;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        try (ImageJStackSource t = ImageJStackSource.open(tif)) {
            for (int z = 0; z < 3; z++) {
                FloatPlane a = t.readPlane(0, z, 0);
                FloatPlane b = Volumes.plane(zarr, 0, z, 0);
                for (int i = 0; i < a.data().length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a.data()[i] - b.data()[i]));
                    lo = Math.min(lo, a.data()[i]);
                    hi = Math.max(hi, a.data()[i]);
                }
            }
        }
        assertTrue(hi - lo > 100, "a real restoration, not a constant: range " + (hi - lo));
        assertTrue(maxDiff <= 1e-5 * (hi - lo), "OME-Zarr vs TIFF: max difference " + maxDiff + " of range " + (hi - lo));

        // Again: complete outputs are refused, skipped on request; the TIFF path reads OME-Zarr too.
        restore(in, zarr, "--chunk", "96").assertFailureAfterLog("already exists");
        restore(in, zarr, "--chunk", "96", "--skip-existing").assertSuccessWithLog();
        restore(in, zarr).assertFailureAfterLog("other inputs or settings");
        Cli.Result odd = restore(in, dir.resolve("odd.ome.zarr"), "--chunk", "33")
                .assertFailure("--chunk 33 is not a multiple of the model's scale 2; use e.g. 32"); // before the model loads
        assertEquals(2, odd.code(), "a bad option value");
        assertFalse(Files.exists(dir.resolve("odd.ome.zarr")));
    }

    @Test
    void aBadCompressionLevelIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path in = Volumes.write(dir.resolve("c.ome.zarr"), new StackShape(48, 40, 1, 1, 1, 16),
                new Calibration(8, 8, 50, "nm", 0, "sec"), new int[] {1, 40, 48});
        Path out = dir.resolve("c_x2.ome.zarr");
        restore(in, out, "--compress", "12").assertFailure("--compress must be a zlib level from 0 to 9", "not 12");
        assertTrue(!java.nio.file.Files.exists(out), "no output");
        restore(in, out, "--compress", "0").assertSuccessWithLog();
        assertEquals(io.github.decrappify.image.zarr.ZarrCompressor.NONE, OmeZarr.open(out).array().compressor());
    }
}
