package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.IJ;
import ij.ImagePlus;
import ij.process.ShortProcessor;
import io.github.decrappify.cli.Main;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.testutil.TestBundles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore front ends share one provenance sentence and one size check: the CLI's TIFF, the Fiji image and the
 * OME-Zarr written from the same input with the same bundle say the same thing, and refuse a too-small image with the
 * same line.
 */
class FrontEndsAgreeTest {

    @TempDir
    static Path dir;
    static Path bundle;

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("java.awt.headless", "true");
        bundle = TestBundles.create(dir.resolve("models"), "unet-x2", 2);
    }

    private static Path image(String name, int w, int h) {
        ShortProcessor sp = new ShortProcessor(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                sp.set(x, y, 1000 + 37 * x + 11 * y + (x * y) % 13);
            }
        }
        Path file = dir.resolve(name);
        assertTrue(IJ.saveAsTiff(new ImagePlus(name, sp), file.toString()));
        return file;
    }

    /** Exit code and standard error of {@code decrappify restore} on the CPU. */
    private static String[] cli(Path in, Path out) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "restore", "-m", bundle.toString(),
                "-i", in.toString(), "-o", out.toString(), "--device", "cpu", "-q");
        return new String[] {String.valueOf(code), err.toString()};
    }

    private static ImagePlus fiji(Path in) throws Exception {
        return new ImageRestorer(ModelStore.standard(null)).restore(IJ.openImage(in.toString()), bundle.toString(),
                RestoreRequest.defaults(), Device.CPU, new RestoreProgress() {});
    }

    @Test
    void cliFijiAndOmeZarrRecordTheSameProvenance() throws Exception {
        Path in = image("cells.tif", 40, 36);
        Path tif = dir.resolve("cells_x2.tif");
        Path zarr = dir.resolve("cells_x2.ome.zarr");
        assertEquals("0", cli(in, tif)[0], () -> cli(in, tif)[1]);
        String[] z = cli(in, zarr);
        assertEquals("0", z[0], z[1]);

        String fromCli = IJ.openImage(tif.toString()).getInfoProperty();
        String fromFiji = fiji(in).getInfoProperty();
        JsonObject attrs = JsonParser.parseString(Files.readString(zarr.resolve(".zattrs"))).getAsJsonObject();
        String fromZarr = attrs.getAsJsonObject("decrappify").get("provenance").getAsString();

        assertTrue(fromCli.matches("Restored by Decrappify with model unet-x2 \\(scale 2\\) on CPU.* in fp32 \\(.*\\) from"
                + " cells\\.tif; normalisation percentiles 1\\.0-99\\.8; tile 64, overlap 16 LR px; 32-bit float output"),
                fromCli);
        assertEquals(fromCli, fromFiji);
        assertEquals(fromCli, fromZarr);
    }

    @Test
    void cliFijiAndOmeZarrRefuseATooSmallImageWithTheSameLine() throws Exception {
        Path in = image("tiny.tif", 7, 30);
        String expected = "tiny.tif is 7x30 pixels; model unet-x2 needs at least 32x32";
        String[] tif = cli(in, dir.resolve("tiny_x2.tif"));
        String[] zarr = cli(in, dir.resolve("tiny_x2.ome.zarr"));
        BadInputException fiji = assertThrows(BadInputException.class, () -> fiji(in));

        assertEquals(expected, fiji.getMessage());
        assertNotEquals("0", tif[0]);
        assertNotEquals("0", zarr[0]);
        assertTrue(tif[1].strip().endsWith(expected), tif[1]);
        assertTrue(zarr[1].strip().endsWith(expected), zarr[1]);
        assertTrue(Files.notExists(dir.resolve("tiny_x2.tif")) && Files.notExists(dir.resolve("tiny_x2.ome.zarr")));
    }
}
