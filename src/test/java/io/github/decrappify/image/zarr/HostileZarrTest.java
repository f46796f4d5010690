package io.github.decrappify.image.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OME-Zarr inputs written by someone else: every path stays inside the image folder (dataset paths with
 * {@code ..}, absolute ones, symbolic links leading out, for metadata, folders and chunks, read and write),
 * and every number of {@code .zarray} that feeds an allocation or a loop is exact and bounded. Each is
 * refused with one line (issue 13 item 6).
 */
class HostileZarrTest {

    @TempDir
    Path dir;

    /** Another user's image beside the input, with known values: what a hostile path would reach. */
    Path other;
    Path image;

    @BeforeEach
    void setUp() throws IOException {
        other = dir.resolve("other.ome.zarr");
        ZarrArray secret = ZarrArray.create(other.resolve("0"), new long[] {4, 4}, new int[] {4, 4}, ZarrDataType.UINT8,
                ZarrCompressor.NONE, ".");
        secret.writeChunk(new long[] {0, 0}, filled(16, 42));
        image = Files.createDirectories(dir.resolve("in.ome.zarr"));
        Files.writeString(image.resolve(".zgroup"), "{\"zarr_format\":2}");
    }

    private void datasetPath(String path) throws IOException {
        Files.writeString(image.resolve(".zattrs"), "{\"multiscales\":[{\"version\":\"0.4\",\"axes\":[\"y\",\"x\"],"
                + "\"datasets\":[{\"path\":" + com.google.gson.JsonParser.parseString("\"" + path.replace("\\", "\\\\")
                        + "\"") + "}]}]}");
    }

    private String refused(Path input) {
        IOException e = assertThrows(IOException.class, () -> OmeZarr.open(input));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void datasetPathsLeavingTheImageFolderAreRefusedNamingTheField() throws IOException {
        String field = image.resolve(".zattrs") + ": multiscales[0].datasets[0].path";
        datasetPath("../other.ome.zarr/0");
        assertEquals(field + " '../other.ome.zarr/0' uses '..' to leave the image folder; dataset paths must stay inside it",
                refused(image));
        datasetPath("0/../../other.ome.zarr/0");
        assertTrue(refused(image).startsWith(field + " '0/../../other.ome.zarr/0' uses '..'"));
        datasetPath(other.resolve("0").toString());
        assertEquals(field + " '" + other.resolve("0") + "' must be a non-empty relative path inside the image folder",
                refused(image));
        datasetPath("");
        assertTrue(refused(image).contains("must be a non-empty relative path"));
        datasetPath(".");
        assertTrue(refused(image).contains("'.' must name a folder inside the image folder"));
        // Through the stack source as restore and spark-restore open inputs: one line too.
        datasetPath("../other.ome.zarr/0");
        BadInputException b = assertThrows(BadInputException.class, () -> OmeZarrStackSource.open(image));
        assertTrue(b.getMessage().startsWith(field), b.getMessage());
    }

    @Test
    void symbolicLinksLeadingOutAreRefusedForFoldersMetadataAndChunks() throws IOException {
        String field = image.resolve(".zattrs") + ": multiscales[0].datasets[0].path";
        datasetPath("0");
        Files.createSymbolicLink(image.resolve("0"), other.resolve("0"));
        assertEquals(field + " '0' leads outside the image folder through a symbolic link (to "
                + other.resolve("0").toRealPath() + ")", refused(image));

        // A real dataset folder whose .zarray is a link to the other image's.
        Files.delete(image.resolve("0"));
        Files.createDirectories(image.resolve("0"));
        Files.createSymbolicLink(image.resolve("0/.zarray"), other.resolve("0/.zarray"));
        assertTrue(refused(image).contains("Zarr metadata " + image.resolve("0/.zarray") + " leads outside"));

        // Own metadata, but a chunk that is a link to the other image's chunk: refused when read.
        Files.delete(image.resolve("0/.zarray"));
        Files.copy(other.resolve("0/.zarray"), image.resolve("0/.zarray"));
        Files.createSymbolicLink(image.resolve("0/0.0"), other.resolve("0/0.0"));
        OmeZarr img = OmeZarr.open(image);
        IOException e = assertThrows(IOException.class, () -> img.readWindow(0, 0, 0, 0, 0, 4, 4));
        assertTrue(e.getMessage().startsWith("Zarr chunk " + image.resolve("0/0.0") + " leads outside"), e.getMessage());
        // A link that stays inside the image is fine.
        Files.delete(image.resolve("0/0.0"));
        Files.copy(other.resolve("0/0.0"), image.resolve("chunk-store"));
        Files.createSymbolicLink(image.resolve("0/0.0"), image.resolve("chunk-store"));
        assertEquals(42f, OmeZarr.open(image).readWindow(0, 0, 0, 0, 0, 4, 4)[15]);
        // .zattrs itself as a link to a file elsewhere.
        Path elsewhere = Files.writeString(dir.resolve("attrs.json"), Files.readString(image.resolve(".zattrs")));
        Files.delete(image.resolve(".zattrs"));
        Files.createSymbolicLink(image.resolve(".zattrs"), elsewhere);
        assertTrue(refused(image).contains("Zarr metadata " + image.resolve(".zattrs") + " leads outside"));
    }

    @Test
    void chunkWritesIntoAFolderLinkedOutsideAreRefused() throws IOException {
        Path out = dir.resolve("out.ome.zarr");
        ZarrArray.create(out.resolve("0"), new long[] {2, 4, 4}, new int[] {1, 4, 4}, ZarrDataType.UINT8,
                ZarrCompressor.NONE, "/");
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Files.createSymbolicLink(out.resolve("0/1"), victim); // planted before a resume
        ZarrArray a = ZarrArray.open(out.resolve("0"), out);
        a.writeChunk(new long[] {0, 0, 0}, filled(16, 1));
        IOException e = assertThrows(IOException.class, () -> a.writeChunk(new long[] {1, 0, 0}, filled(16, 2)));
        assertTrue(e.getMessage().startsWith("Zarr chunk folder " + out.resolve("0/1") + " leads outside"), e.getMessage());
        try (var left = Files.list(victim)) {
            assertEquals(0, left.count(), "nothing written through the link");
        }
    }

    private String zarray(String shape, String chunks) {
        return "{\"zarr_format\":2,\"shape\":" + shape + ",\"chunks\":" + chunks + ",\"dtype\":\"|u1\",\"compressor\":null,"
                + "\"fill_value\":0,\"order\":\"C\",\"filters\":null}";
    }

    private String refusedArray(String shape, String chunks) throws IOException {
        Path a = Files.createDirectories(dir.resolve("a.zarr"));
        Files.writeString(a.resolve(".zarray"), zarray(shape, chunks));
        IOException e = assertThrows(IOException.class, () -> ZarrArray.open(a));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void zarrayNumbersMustBeExactAndBounded() throws IOException {
        // 2^32 + 1 used to be read as 1 (int wrap-around), 2.5 as 2, 1e30 as Long.MAX_VALUE.
        assertTrue(refusedArray("[4, 4]", "[4294967297, 4]").contains("chunks[0] = 4294967297 exceeds 67108864 elements"));
        assertTrue(refusedArray("[4, 4]", "[2.5, 4]").contains("chunks[0] = 2.5 is not a whole number"));
        assertTrue(refusedArray("[1e30, 4]", "[4, 4]").contains("shape[0] = 1e30 is not a whole number within 64 bits"));
        assertTrue(refusedArray("[\"4\", 4]", "[4, 4]").contains("shape[0] = \"4\" is not a whole number"));
        assertTrue(refusedArray("[4, 4]", "[-4, 4]").contains("must be positive"));
        assertTrue(refusedArray("[4, -1]", "[4, 4]").contains("must be positive"));
        assertTrue(refusedArray("4", "[4]").contains("shape must be an array of whole numbers"));
        // Products that wrapped a long: 2^16 four times is 2^64 = 0.
        assertTrue(refusedArray("[65536, 65536, 65536, 65536]", "[65536, 65536, 65536, 65536]")
                .contains("hold more than 67108864 elements each"));
        assertTrue(refusedArray("[4611686018427387904, 4]", "[1, 4]").contains("more than 2^48 elements along axis 0"));
        assertTrue(refusedArray("[281474976710656, 281474976710656, 281474976710656, 281474976710656]", "[1, 1, 1, 1]")
                .contains("more than 2^63 elements"));
        String ones = "[" + "1, ".repeat(39) + "1]";
        assertTrue(refusedArray(ones, ones).contains("has 40 values (at most 32)"));
        // A chunk of 10^10 elements: refused before anything is allocated.
        assertTrue(refusedArray("[1, 100000, 100000]", "[1, 100000, 100000]").contains("hold more than 67108864"));
    }

    @Test
    void chunkFilesAreSizeCheckedBeforeReadingOrAllocating() throws IOException {
        Path a = Files.createDirectories(dir.resolve("c.zarr"));
        ZarrArray plain = ZarrArray.create(a, new long[] {4096, 4096}, new int[] {4096, 4096}, ZarrDataType.FLOAT32,
                ZarrCompressor.NONE, ".");
        Files.write(a.resolve("0.0"), new byte[100]); // claims 64 MiB of floats
        IOException e = assertThrows(IOException.class, () -> plain.readChunk(new long[] {0, 0}));
        assertEquals("corrupt chunk " + a.resolve("0.0") + ": 100 bytes cannot hold 67108864 bytes uncompressed",
                e.getMessage());
        ZarrArray zlib = ZarrArray.create(dir.resolve("z.zarr"), new long[] {4096, 4096}, new int[] {4096, 4096},
                ZarrDataType.FLOAT32, ZarrCompressor.zlib(1), ".");
        Files.write(dir.resolve("z.zarr/0.0"), new byte[1000]); // deflate cannot reach 67000:1
        e = assertThrows(IOException.class, () -> zlib.readChunk(new long[] {0, 0}));
        assertTrue(e.getMessage().endsWith("1000 bytes cannot hold 67108864 bytes compressed with zlib"), e.getMessage());
        // Honest chunks of zeros at the best compression (1029:1, near deflate's 1032:1 bound) still read.
        for (ZarrCompressor c : new ZarrCompressor[] {ZarrCompressor.zlib(9), ZarrCompressor.gzip(9)}) {
            ZarrArray best = ZarrArray.create(dir.resolve(c.id() + "9.zarr"), new long[] {4096, 4096},
                    new int[] {4096, 4096}, ZarrDataType.FLOAT32, c, ".");
            best.writeChunk(new long[] {0, 0}, new float[4096 * 4096]);
            assertTrue(Files.size(dir.resolve(c.id() + "9.zarr/0.0")) < 70_000);
            assertArrayEquals(new float[8], java.util.Arrays.copyOf(best.readChunk(new long[] {0, 0}), 8));
        }
    }

    private static float[] filled(int n, float v) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, v);
        return f;
    }
}
