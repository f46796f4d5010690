package io.github.decrappify.image.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zarr v2 arrays: reading fixtures written by the reference implementation (zarr-python, see
 * {@code src/test/resources/zarr/make_fixtures.py}), round trips of every written type, compressor and
 * separator, regions across (edge) chunks, and refusals.
 */
class ZarrArrayTest {

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(ZarrArrayTest.class.getResource("/zarr/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsUint16ZlibWithDotSeparatorFromZarrPython() throws IOException {
        ZarrArray a = ZarrArray.open(fixture("u2_zlib_dot.zarr"));
        assertArrayEquals(new long[] {3, 37, 29}, a.shape());
        assertArrayEquals(new int[] {2, 16, 16}, a.chunks());
        assertEquals(ZarrDataType.UINT16, a.type());
        float[] all = a.readRegion(new long[] {0, 0, 0}, new int[] {3, 37, 29});
        for (int z = 0; z < 3; z++) {
            for (int y = 0; y < 37; y++) {
                for (int x = 0; x < 29; x++) {
                    assertEquals(z * 1000 + y * 37 + x, all[(z * 37 + y) * 29 + x], 0, "at " + z + "," + y + "," + x);
                }
            }
        }
        // A region crossing chunk borders in every dimension, ending in the padded edge chunks.
        float[] part = a.readRegion(new long[] {1, 14, 15}, new int[] {2, 23, 14});
        assertEquals(2 * 1000 + 36 * 37 + 28, part[part.length - 1], 0);
        assertEquals(1000 + 14 * 37 + 15, part[0], 0);
    }

    @Test
    void readsBigEndianFloatGzipNestedFromZarrPython() throws IOException {
        ZarrArray a = ZarrArray.open(fixture("f4be_gzip_nested.zarr"));
        assertEquals("/", a.separator());
        float[] all = a.readRegion(new long[] {0, 0, 0}, new int[] {3, 37, 29});
        for (int z = 0; z < 3; z++) {
            for (int y = 0; y < 37; y++) {
                for (int x = 0; x < 29; x++) {
                    float expected = (float) (Math.sin(x * 0.3) * Math.cos(y * 0.2) + z * 0.5);
                    assertEquals(expected, all[(z * 37 + y) * 29 + x], 1e-6);
                }
            }
        }
    }

    @Test
    void missingChunkReadsAsFillValue() throws IOException {
        ZarrArray a = ZarrArray.open(fixture("u1_raw_fill.zarr"));
        assertFalse(a.chunkExists(new long[] {1, 1}));
        float[] all = a.readRegion(new long[] {0, 0}, new int[] {20, 24});
        assertEquals((5 * 24 + 17) % 256, all[5 * 24 + 17], 0);
        assertEquals(200, all[15 * 24 + 3], 0);
        assertEquals(7, all[15 * 24 + 20], 0, "fill value of the unwritten chunk");
    }

    @Test
    void bloscIsRefusedWithAWayOut() {
        IOException e = assertThrows(IOException.class, () -> ZarrArray.open(fixture("blosc.zarr")));
        assertTrue(e.getMessage().contains("blosc") && e.getMessage().contains("zlib"), e.getMessage());
    }

    @Test
    void fortranOrderFiltersAndMissingMetadataAreRefused() throws IOException {
        Path f = dir.resolve("f.zarr");
        Files.createDirectories(f);
        Files.writeString(f.resolve(".zarray"), "{\"zarr_format\":2,\"shape\":[4,4],\"chunks\":[2,2],\"dtype\":\"<f4\","
                + "\"compressor\":null,\"fill_value\":0,\"order\":\"F\",\"filters\":null}");
        assertTrue(assertThrows(IOException.class, () -> ZarrArray.open(f)).getMessage().contains("order F"));
        Files.writeString(f.resolve(".zarray"), "{\"zarr_format\":2,\"shape\":[4,4],\"chunks\":[2,2],\"dtype\":\"<f4\","
                + "\"compressor\":null,\"fill_value\":0,\"order\":\"C\",\"filters\":[{\"id\":\"delta\"}]}");
        assertTrue(assertThrows(IOException.class, () -> ZarrArray.open(f)).getMessage().contains("filters"));
        Files.writeString(f.resolve(".zarray"), "{\"zarr_format\":2,\"shape\":[4,4],\"chunks\":[2,2],\"dtype\":\"<c8\","
                + "\"compressor\":null,\"fill_value\":0,\"order\":\"C\",\"filters\":null}");
        assertTrue(assertThrows(IOException.class, () -> ZarrArray.open(f)).getMessage().contains("dtype"));
        Files.writeString(f.resolve(".zarray"), "{not json");
        assertTrue(assertThrows(IOException.class, () -> ZarrArray.open(f)).getMessage().contains("JSON"));
        assertTrue(assertThrows(IOException.class, () -> ZarrArray.open(dir.resolve("none")))
                .getMessage().contains("missing .zarray"));
    }

    @Test
    void roundTripsEveryWrittenTypeCompressorAndSeparator() throws IOException {
        Random rng = new Random(1);
        int n = 0;
        for (ZarrDataType type : List.of(ZarrDataType.UINT8, ZarrDataType.UINT16, ZarrDataType.FLOAT32)) {
            for (ZarrCompressor comp : List.of(ZarrCompressor.NONE, ZarrCompressor.zlib(1), ZarrCompressor.gzip(6))) {
                for (String sep : List.of(".", "/")) {
                    Path p = dir.resolve("a" + n++);
                    ZarrArray a = ZarrArray.create(p, new long[] {2, 21, 13}, new int[] {1, 8, 8}, type, comp, sep);
                    float[] values = new float[2 * 21 * 13];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = type == ZarrDataType.FLOAT32 ? (float) rng.nextGaussian() : rng.nextInt(200);
                    }
                    writeAll(a, values, new int[] {2, 21, 13});
                    ZarrArray back = ZarrArray.open(p);
                    assertEquals(type, back.type());
                    assertEquals(comp, new ZarrCompressor(back.compressor().id(), comp.level()));
                    assertArrayEquals(values, back.readRegion(new long[3], new int[] {2, 21, 13}), type + " " + comp + " " + sep);
                    assertTrue(Files.isRegularFile(p.resolve(sep.equals("/") ? "1/2/1" : "1.2.1")));
                    // Every key the format requires, also when null (zarr-python refuses metadata without them).
                    String meta = Files.readString(p.resolve(".zarray"));
                    for (String key : List.of("zarr_format", "shape", "chunks", "dtype", "compressor", "fill_value",
                            "order", "filters")) {
                        assertTrue(meta.contains("\"" + key + "\":"), key + " missing: " + meta);
                    }
                }
            }
        }
    }

    @Test
    void integersAreRoundedAndClampedOnWrite() throws IOException {
        ZarrArray a = ZarrArray.create(dir.resolve("u8"), new long[] {1, 6}, new int[] {1, 6}, ZarrDataType.UINT8,
                ZarrCompressor.NONE, ".");
        a.writeChunk(new long[] {0, 0}, new float[] {-3f, 1.4f, 1.6f, 254.5f, 999f, Float.NaN});
        assertArrayEquals(new float[] {0, 1, 2, 255, 255, 0}, a.readChunk(new long[] {0, 0}));
    }

    @Test
    void writesAreAtomicAndLeaveNoTemporaryFiles() throws IOException {
        ZarrArray a = ZarrArray.create(dir.resolve("t"), new long[] {4, 4}, new int[] {2, 2}, ZarrDataType.FLOAT32,
                ZarrCompressor.zlib(1), "/");
        a.writeChunk(new long[] {1, 1}, new float[] {1, 2, 3, 4});
        a.writeChunk(new long[] {1, 1}, new float[] {5, 6, 7, 8}); // rewriting replaces in one step
        assertArrayEquals(new float[] {5, 6, 7, 8}, a.readChunk(new long[] {1, 1}));
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
    }

    @Test
    void corruptAndTruncatedChunksFailWithTheirPath() throws IOException {
        ZarrArray a = ZarrArray.create(dir.resolve("c"), new long[] {4, 4}, new int[] {4, 4}, ZarrDataType.FLOAT32,
                ZarrCompressor.zlib(1), ".");
        a.writeChunk(new long[] {0, 0}, new float[16]);
        byte[] good = Files.readAllBytes(a.chunkPath(new long[] {0, 0}));
        Files.write(a.chunkPath(new long[] {0, 0}), java.util.Arrays.copyOf(good, good.length / 2));
        IOException e = assertThrows(IOException.class, () -> a.readChunk(new long[] {0, 0}));
        assertTrue(e.getMessage().contains("0.0"), e.getMessage());
        Files.write(a.chunkPath(new long[] {0, 0}), new byte[] {1, 2, 3, 4, 5});
        assertThrows(IOException.class, () -> a.readChunk(new long[] {0, 0}));
    }

    @Test
    void cachedReadsEqualUncachedReads() throws IOException {
        ZarrArray a = ZarrArray.open(fixture("u2_zlib_dot.zarr"));
        ZarrArray cached = a.cached(1 << 20);
        for (int z = 0; z < 3; z++) {
            long[] off = {z, 3, 4};
            int[] size = {1, 30, 20};
            assertArrayEquals(a.readRegion(off, size), cached.readRegion(off, size));
        }
    }

    /** Writes a C-order array chunk by chunk (edge chunks padded with zeros). */
    static void writeAll(ZarrArray a, float[] values, int[] shape) throws IOException {
        int[] ch = a.chunks();
        long[] grid = a.chunkGrid();
        for (long i = 0; i < grid[0]; i++) {
            for (long j = 0; j < grid[1]; j++) {
                for (long k = 0; k < grid[2]; k++) {
                    float[] chunk = new float[a.chunkElements()];
                    for (int z = 0; z < ch[0]; z++) {
                        for (int y = 0; y < ch[1]; y++) {
                            for (int x = 0; x < ch[2]; x++) {
                                long Z = i * ch[0] + z, Y = j * ch[1] + y, X = k * ch[2] + x;
                                if (Z < shape[0] && Y < shape[1] && X < shape[2]) {
                                    chunk[(z * ch[1] + y) * ch[2] + x] = values[(int) ((Z * shape[1] + Y) * shape[2] + X)];
                                }
                            }
                        }
                    }
                    a.writeChunk(new long[] {i, j, k}, chunk);
                }
            }
        }
    }
}
