package io.github.decrappify.image.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.StackShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OME-NGFF 0.4 metadata: axes, level 0, scales and units, read from zarr-python fixtures and written back. */
class OmeZarrTest {

    @TempDir
    Path dir;

    @Test
    void readsLevelZeroAxesAndScalesOfAnNgffImage() throws IOException, BadInputException {
        OmeZarr img = OmeZarr.open(ZarrArrayTest.fixture("ome_czyx.ome.zarr"));
        StackShape s = img.shape();
        assertEquals(new StackShape(29, 37, 2, 3, 1, 16), s);
        Calibration cal = img.calibration();
        assertEquals(0.04, cal.pixelWidth(), 1e-12);
        assertEquals(0.08, cal.pixelHeight(), 1e-12);
        assertEquals(1.0, cal.pixelDepth(), 1e-12, "dataset scale 0.5 times the multiscale's 2");
        assertEquals("micron", cal.unit());
        try (OmeZarrStackSource src = OmeZarrStackSource.open(ZarrArrayTest.fixture("ome_czyx.ome.zarr"))) {
            FloatPlane p = src.readPlane(1, 2, 0);
            assertEquals(10000 + 2000 + 5 * 37 + 7, p.get(7, 5), 0);
            FloatPlane w = src.readWindow(0, 1, 0, 10, 20, 15, 17);
            assertEquals(1000 + 20 * 37 + 10, w.get(0, 0), 0);
            assertEquals(1000 + 36 * 37 + 24, w.get(14, 16), 0);
        }
    }

    @Test
    void bareArraysGetAxesFromTheirRank() throws IOException {
        OmeZarr img = OmeZarr.open(ZarrArrayTest.fixture("u2_zlib_dot.zarr"));
        assertEquals(new StackShape(29, 37, 1, 3, 1, 16), img.shape());
        assertEquals("pixel", img.calibration().unit());
    }

    @Test
    void writtenImagesCarryNgffMetadataAndReadBack() throws IOException {
        Calibration cal = new Calibration(0.01, 0.02, 0.05, "micron", 2.5, "sec");
        StackShape shape = new StackShape(40, 30, 2, 3, 2, 32);
        JsonObject extra = new JsonObject();
        extra.addProperty("note", "test");
        OmeZarr out = OmeZarr.create(dir.resolve("o.ome.zarr"), shape, cal, new int[] {1, 16, 16},
                ZarrCompressor.zlib(1), "restored", extra);
        assertArrayEquals(new long[] {2, 2, 3, 30, 40}, out.array().shape());
        assertArrayEquals(new int[] {1, 1, 1, 16, 16}, out.array().chunks());
        OmeZarr back = OmeZarr.open(dir.resolve("o.ome.zarr"));
        assertEquals(shape, back.shape());
        assertEquals(cal, back.calibration());
        String attrs = Files.readString(dir.resolve("o.ome.zarr/.zattrs"));
        assertTrue(attrs.contains("\"version\": \"0.4\"") && attrs.contains("micrometer") && attrs.contains("\"note\""), attrs);
        assertTrue(Files.isRegularFile(dir.resolve("o.ome.zarr/.zgroup")));
    }

    @Test
    void badFoldersGetOneLineReasons() throws IOException {
        assertTrue(assertThrows(BadInputException.class, () -> OmeZarrStackSource.open(dir.resolve("missing.zarr")))
                .getMessage().contains("not found"));
        Path plain = Files.createDirectories(dir.resolve("plain.zarr"));
        Files.writeString(plain.resolve(".zgroup"), "{\"zarr_format\":2}");
        Files.writeString(plain.resolve(".zattrs"), "{\"plate\":{}}");
        assertTrue(assertThrows(IOException.class, () -> OmeZarr.open(plain)).getMessage().contains("multiscales"));
        Files.writeString(plain.resolve(".zattrs"), "{\"multiscales\":[{\"version\":\"0.4\",\"axes\":[\"x\",\"y\"],"
                + "\"datasets\":[{\"path\":\"0\"}]}]}");
        ZarrArray.create(plain.resolve("0"), new long[] {4, 4}, new int[] {4, 4}, ZarrDataType.UINT8, ZarrCompressor.NONE, ".");
        assertTrue(assertThrows(IOException.class, () -> OmeZarr.open(plain)).getMessage().contains("unsupported axes"));
    }
}
