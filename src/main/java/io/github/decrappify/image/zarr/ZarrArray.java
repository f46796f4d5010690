package io.github.decrappify.image.zarr;

import io.github.decrappify.image.Json;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import io.github.decrappify.image.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One Zarr v2 array in a folder: {@code .zarray} metadata and one file per chunk, C order.
 *
 * <p>Supported: the numeric types of {@link ZarrDataType}, compressors none, zlib and gzip, both
 * dimension separators ({@code "."}: {@code 0.3.1}; {@code "/"}: {@code 0/3/1}), fill values (numbers,
 * {@code "NaN"}, {@code null}). Refused with a clear message: Fortran order, filters, other compressors.
 * Chunks are stored whole, edge chunks padded, as the format requires; a chunk file that does not exist
 * reads as the fill value.
 *
 * <p><b>Untrusted metadata</b>: every number in {@code .zarray} must be a whole number in range (no silent
 * wrap-around or truncation), rank is at most {@value #MAX_RANK}, a chunk at most
 * {@value #MAX_CHUNK_ELEMENTS} elements, and a chunk file's size is checked against what it must decode to
 * before anything is allocated. Every file read or written (metadata and chunks) must lie inside the
 * array's <em>container</em> (the OME-Zarr folder it was opened from, else its own folder) after symbolic
 * links are followed; one that leads elsewhere is refused.
 *
 * <p><b>Atomic writes</b>: {@link #writeChunk} writes a hidden temporary file beside the chunk and
 * renames it, so a reader (or a rerun after a crash) sees either the old chunk, no chunk, or the
 * complete new one; writing the same chunk twice with the same data is harmless. Instances are
 * immutable and may be shared between threads.
 *
 * <pre>{@code
 * ZarrArray a = ZarrArray.create(dir, new long[] {10, 512, 512}, new int[] {1, 256, 256},
 *         ZarrDataType.FLOAT32, ZarrCompressor.zlib(1), "/");
 * a.writeChunk(new long[] {0, 1, 1}, data);
 * float[] region = ZarrArray.open(dir).readRegion(new long[] {0, 200, 200}, new int[] {1, 100, 100});
 * }</pre>
 */
public final class ZarrArray {

    public static final String METADATA = ".zarray";
    /** NumPy's own limit on dimensions. */
    public static final int MAX_RANK = 32;
    /** 64 Mi elements (256 MiB as float): zarr's default chunking stays below 64 MB a chunk. */
    public static final int MAX_CHUNK_ELEMENTS = 1 << 26;
    /** Beyond this along one axis, index arithmetic could overflow. */
    static final long MAX_AXIS = 1L << 48;
    /** Deflate cannot compress better than about 1032:1; a smaller chunk file is corrupt. */
    private static final int MAX_DEFLATE_RATIO = 1032;

    private final Path dir;
    private final long[] shape;
    private final int[] chunks;
    private final ZarrDataType type;
    private final ByteOrder order;
    private final ZarrCompressor compressor;
    private final String separator;
    private final float fill;
    private final int chunkElements;
    private final ChunkCache cache;
    private Path tempDir;
    /** Real path every file of this array must lie in; {@code null}: not checked (arrays being created). */
    private Path container;

    private ZarrArray(Path dir, long[] shape, int[] chunks, ZarrDataType type, ByteOrder order,
            ZarrCompressor compressor, String separator, float fill) {
        this(dir, shape, chunks, type, order, compressor, separator, fill, null);
    }

    private ZarrArray(Path dir, long[] shape, int[] chunks, ZarrDataType type, ByteOrder order,
            ZarrCompressor compressor, String separator, float fill, ChunkCache cache) {
        if (shape.length == 0 || shape.length != chunks.length || shape.length > MAX_RANK) {
            throw new IllegalArgumentException("shape " + brief(shape) + " and chunks " + brief(chunks)
                    + " must have the same, non-zero length of at most " + MAX_RANK);
        }
        long elements = 1;
        long total = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] <= 0 || chunks[d] <= 0) {
                throw new IllegalArgumentException("shape and chunks must be positive: " + Arrays.toString(shape) + ", "
                        + Arrays.toString(chunks));
            }
            if (shape[d] > MAX_AXIS) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^48 elements along"
                        + " axis " + d);
            }
            // Bounded before multiplying, so the products cannot wrap around.
            elements *= Math.min(chunks[d], (long) MAX_CHUNK_ELEMENTS + 1);
            if (elements > MAX_CHUNK_ELEMENTS) {
                throw new IllegalArgumentException("chunks " + Arrays.toString(chunks) + " hold more than "
                        + MAX_CHUNK_ELEMENTS + " elements each; rewrite the array with smaller chunks (e.g. in Python"
                        + " zarr: zarr.copy_store, or rechunker)");
            }
            total = total > Long.MAX_VALUE / shape[d] ? Long.MAX_VALUE : total * shape[d];
        }
        if (total == Long.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^63 elements");
        }
        if (!separator.equals(".") && !separator.equals("/")) {
            throw new IllegalArgumentException("dimension separator must be '.' or '/': " + separator);
        }
        this.dir = dir;
        this.shape = shape.clone();
        this.chunks = chunks.clone();
        this.type = type;
        this.order = order;
        this.compressor = compressor;
        this.separator = separator;
        this.fill = fill;
        this.chunkElements = (int) elements;
        this.cache = cache;
    }

    /**
     * The same array writing its temporary chunk files into {@code folder} (on the same file system)
     * rather than beside each chunk.
     */
    public ZarrArray withTempDir(Path folder) {
        ZarrArray a = new ZarrArray(dir, shape, chunks, type, order, compressor, separator, fill, cache);
        a.tempDir = folder;
        a.container = container;
        return a;
    }

    /**
     * The same array reading through a cache of up to {@code maxBytes} of decoded chunks (least recently
     * used dropped first), for readers that visit a chunk several times, e.g. plane by plane through
     * chunks that are deeper than one plane. Chunks are not written through the cache.
     */
    public ZarrArray cached(long maxBytes) {
        ZarrArray a = new ZarrArray(dir, shape, chunks, type, order, compressor, separator, fill,
                new ChunkCache(Math.max(1, maxBytes / (4L * chunkElements))));
        a.tempDir = tempDir;
        a.container = container;
        return a;
    }

    /**
     * Opens an existing array.
     *
     * @throws IOException if {@code .zarray} is missing, unreadable or describes an unsupported array
     *         (the message names what and why)
     */
    public static ZarrArray open(Path dir) throws IOException {
        return open(dir, dir);
    }

    /**
     * Opens an existing array whose files must all lie inside {@code container} (e.g. the OME-Zarr folder
     * holding it), symbolic links followed.
     *
     * @throws IOException also when the array folder, its metadata or (later) a chunk leads outside
     */
    public static ZarrArray open(Path dir, Path container) throws IOException {
        Path meta = dir.resolve(METADATA);
        Path inside = realContainer(container);
        requireInside(meta, inside, "metadata");
        JsonObject o;
        try {
            o = Json.read(meta).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new IOException("no Zarr array at " + dir + " (missing " + METADATA + ")", e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(meta + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            int format = o.get("zarr_format").getAsInt();
            if (format != 2) {
                throw new IllegalArgumentException("zarr_format " + format + " (only version 2 is supported)");
            }
            String orderText = o.has("order") ? o.get("order").getAsString() : "C";
            if (!orderText.equals("C")) {
                throw new IllegalArgumentException("order " + orderText + " (only C order is supported)");
            }
            if (o.has("filters") && !o.get("filters").isJsonNull() && o.get("filters").getAsJsonArray().size() > 0) {
                throw new IllegalArgumentException("filters " + o.get("filters") + " (arrays with filters are not supported)");
            }
            ZarrDataType.Parsed dtype = ZarrDataType.parse(o.get("dtype").getAsString());
            long[] shape = Json.exactLongs(o.get("shape"), "shape", MAX_RANK);
            long[] chunkValues = Json.exactLongs(o.get("chunks"), "chunks", MAX_RANK);
            int[] chunks = new int[chunkValues.length];
            for (int d = 0; d < chunks.length; d++) {
                if (chunkValues[d] > MAX_CHUNK_ELEMENTS) {
                    throw new IllegalArgumentException("chunks[" + d + "] = " + chunkValues[d] + " exceeds "
                            + MAX_CHUNK_ELEMENTS + " elements; rewrite the array with smaller chunks");
                }
                chunks[d] = (int) chunkValues[d];
            }
            String separator = o.has("dimension_separator") && !o.get("dimension_separator").isJsonNull()
                    ? o.get("dimension_separator").getAsString() : ".";
            ZarrArray a = new ZarrArray(dir, shape, chunks, dtype.type(), dtype.order(),
                    ZarrCompressor.fromJson(o.get("compressor")), separator, fillValue(o.get("fill_value")));
            a.container = inside;
            return a;
        } catch (IllegalArgumentException | NullPointerException | ClassCastException | IllegalStateException
                | ArithmeticException e) {
            throw new IOException("unsupported Zarr array " + dir + ": " + (e.getMessage() == null ? "missing field"
                    : e.getMessage()), e);
        }
    }

    /**
     * Creates a new array (its folder and {@code .zarray}); chunks are written later. An existing
     * {@code .zarray} is replaced.
     *
     * @param separator {@code "/"} (nested folders, kind to file systems with millions of chunks) or {@code "."}
     */
    public static ZarrArray create(Path dir, long[] shape, int[] chunks, ZarrDataType type, ZarrCompressor compressor,
            String separator) throws IOException {
        ZarrArray a = new ZarrArray(dir, shape, chunks, type, ByteOrder.LITTLE_ENDIAN, compressor, separator, 0f);
        Files.createDirectories(dir);
        JsonObject o = new JsonObject();
        o.addProperty("zarr_format", 2);
        o.add("shape", Json.array(shape));
        o.add("chunks", Json.array(chunks));
        o.addProperty("dtype", type.dtype());
        o.add("compressor", compressor.toJson());
        o.addProperty("fill_value", 0);
        o.addProperty("order", "C");
        o.add("filters", com.google.gson.JsonNull.INSTANCE);
        o.addProperty("dimension_separator", separator);
        Json.writeAtomically(dir.resolve(METADATA), o);
        return a;
    }

    /** The real path of {@code container}; it must exist. */
    static Path realContainer(Path container) throws IOException {
        try {
            return container.toRealPath();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no Zarr array at " + container + " (missing " + METADATA + ")", e);
        }
    }

    /**
     * Refuses {@code file} when, symbolic links followed, it lies outside {@code container} (a real path);
     * a file that does not exist passes (reading it then fails, or gives the fill value).
     */
    static void requireInside(Path file, Path container, String what) throws IOException {
        Path real = outside(file, container);
        if (real != null) {
            throw new IOException("Zarr " + what + " " + file + " leads outside " + container + " (to " + real
                    + "); every file of an OME-Zarr must be inside its folder");
        }
    }

    /** Where {@code file} really is when that is outside {@code container} (a real path); else {@code null}. */
    static Path outside(Path file, Path container) throws IOException {
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        }
        return real.startsWith(container) ? null : real;
    }

    /** The nearest existing folder of {@code file} (itself excluded) must be inside the container. */
    private void requireParentInside(Path file) throws IOException {
        if (container == null) {
            return;
        }
        Path p = file.getParent();
        while (p != null && !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            p = p.getParent();
        }
        if (p != null) {
            requireInside(p, container, "chunk folder");
        }
    }

    private static String brief(long[] v) {
        return v.length > MAX_RANK ? v.length + " values" : Arrays.toString(v);
    }

    private static String brief(int[] v) {
        return v.length > MAX_RANK ? v.length + " values" : Arrays.toString(v);
    }

    private static float fillValue(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return 0;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isString()) {
            return switch (p.getAsString()) {
                case "NaN" -> Float.NaN;
                case "Infinity" -> Float.POSITIVE_INFINITY;
                case "-Infinity" -> Float.NEGATIVE_INFINITY;
                default -> 0; // base64 fill values of other types do not occur for numbers
            };
        }
        if (p.isBoolean()) {
            return p.getAsBoolean() ? 1 : 0;
        }
        return p.getAsFloat();
    }

    public Path directory() {
        return dir;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int[] chunks() {
        return chunks.clone();
    }

    public int rank() {
        return shape.length;
    }

    public ZarrDataType type() {
        return type;
    }

    public ZarrCompressor compressor() {
        return compressor;
    }

    public String separator() {
        return separator;
    }

    /** Number of chunks along each dimension. */
    public long[] chunkGrid() {
        long[] g = new long[shape.length];
        for (int d = 0; d < g.length; d++) {
            g[d] = (shape[d] + chunks[d] - 1) / chunks[d];
        }
        return g;
    }

    /** Elements of one (padded) chunk. */
    public int chunkElements() {
        return chunkElements;
    }

    /** The file of chunk {@code index} (grid coordinates), whether it exists or not. */
    public Path chunkPath(long[] index) {
        requireChunkIndex(index);
        StringBuilder key = new StringBuilder();
        for (int d = 0; d < index.length; d++) {
            if (d > 0) {
                key.append(separator);
            }
            key.append(index[d]);
        }
        return dir.resolve(key.toString());
    }

    /** Whether chunk {@code index} has been written (writes are atomic, so an existing chunk is complete). */
    public boolean chunkExists(long[] index) {
        return Files.isRegularFile(chunkPath(index));
    }

    /**
     * Reads chunk {@code index} as floats in C order over the full chunk shape (edge chunks padded);
     * a missing chunk is the fill value.
     *
     * @throws IOException if the chunk is corrupt or has the wrong size
     */
    public float[] readChunk(long[] index) throws IOException {
        if (cache != null) {
            return cache.get(Arrays.toString(index), () -> decodeChunk(index)).clone();
        }
        return decodeChunk(index);
    }

    private float[] decodeChunk(long[] index) throws IOException {
        Path file = chunkPath(index);
        int expected = chunkElements * type.bytes();
        byte[] stored;
        try {
            if (container != null) {
                requireInside(file, container, "chunk");
            }
            long size = Files.size(file);
            // Checked before reading or allocating: a tiny file must not claim a huge chunk, nor a huge file be read.
            long max = compressor.id() == null ? expected : expected + expected / 1000L + 1024;
            long min = compressor.id() == null ? expected : expected / MAX_DEFLATE_RATIO;
            if (size > max || size < min) {
                throw new IOException("corrupt chunk " + file + ": " + size + " bytes cannot hold " + expected + " bytes "
                        + (compressor.id() == null ? "uncompressed" : "compressed with " + compressor.id()));
            }
            stored = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            float[] out = new float[chunkElements];
            if (fill != 0) {
                Arrays.fill(out, fill);
            }
            return out;
        }
        byte[] raw;
        try {
            raw = compressor.decompress(stored, expected);
        } catch (IOException e) {
            throw new IOException("corrupt chunk " + file + ": " + e.getMessage(), e);
        }
        float[] out = new float[chunkElements];
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        if (type == ZarrDataType.FLOAT32) {
            b.asFloatBuffer().get(out);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = type.get(b, i);
            }
        }
        return out;
    }

    /**
     * Writes chunk {@code index} (C order, full chunk shape) atomically: temporary file, then rename.
     * Values are converted to the array's type (integers rounded and clamped).
     */
    public void writeChunk(long[] index, float[] data) throws IOException {
        if (data.length != chunkElements) {
            throw new IllegalArgumentException("chunk data has " + data.length + " values, expected " + chunkElements);
        }
        ByteBuffer b = ByteBuffer.allocate(chunkElements * type.bytes()).order(order);
        if (type == ZarrDataType.FLOAT32) {
            b.asFloatBuffer().put(data);
        } else {
            for (int i = 0; i < data.length; i++) {
                type.put(b, i, data[i]);
            }
        }
        Path file = chunkPath(index);
        requireParentInside(file);
        AtomicFiles.write(file, compressor.compress(b.array()), tempDir);
    }

    /**
     * Reads a region (C order, {@code size} elements along each dimension starting at {@code offset});
     * positions beyond the array's shape are refused.
     */
    public float[] readRegion(long[] offset, int[] size) throws IOException {
        if (offset.length != shape.length || size.length != shape.length) {
            throw new IllegalArgumentException("region rank differs from the array's " + shape.length);
        }
        long total = 1;
        for (int d = 0; d < shape.length; d++) {
            if (offset[d] < 0 || size[d] < 0 || offset[d] + size[d] > shape[d]) {
                throw new IllegalArgumentException("region " + Arrays.toString(offset) + " + " + Arrays.toString(size)
                        + " outside shape " + Arrays.toString(shape));
            }
            total *= size[d];
        }
        if (total > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("region of " + total + " elements is too large");
        }
        float[] out = new float[(int) total];
        if (total == 0) {
            return out;
        }
        int n = shape.length;
        long[] first = new long[n];
        long[] last = new long[n];
        for (int d = 0; d < n; d++) {
            first[d] = offset[d] / chunks[d];
            last[d] = (offset[d] + size[d] - 1) / chunks[d];
        }
        long[] c = first.clone();
        while (true) {
            copyFromChunk(c, cache != null ? cache.get(Arrays.toString(c), () -> decodeChunk(c.clone()))
                    : decodeChunk(c), offset, size, out);
            int d = n - 1;
            while (d >= 0 && c[d] == last[d]) {
                c[d] = first[d];
                d--;
            }
            if (d < 0) {
                return out;
            }
            c[d]++;
        }
    }

    /** Copies the part of a chunk that lies inside the region into the region's array, row by row. */
    private void copyFromChunk(long[] chunk, float[] data, long[] offset, int[] size, float[] out) {
        int n = shape.length;
        long[] lo = new long[n];
        long[] hi = new long[n];
        for (int d = 0; d < n; d++) {
            long start = chunk[d] * chunks[d];
            lo[d] = Math.max(start, offset[d]);
            hi[d] = Math.min(start + chunks[d], offset[d] + size[d]);
        }
        int run = (int) (hi[n - 1] - lo[n - 1]);
        long[] p = lo.clone();
        while (true) {
            int src = 0;
            int dst = 0;
            for (int d = 0; d < n; d++) {
                src = src * chunks[d] + (int) (p[d] - chunk[d] * chunks[d]);
                dst = dst * size[d] + (int) (p[d] - offset[d]);
            }
            System.arraycopy(data, src, out, dst, run);
            int d = n - 2;
            while (d >= 0 && p[d] == hi[d] - 1) {
                p[d] = lo[d];
                d--;
            }
            if (d < 0) {
                return;
            }
            p[d]++;
        }
    }

    private void requireChunkIndex(long[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("chunk index " + Arrays.toString(index) + " has the wrong rank");
        }
        long[] grid = chunkGrid();
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= grid[d]) {
                throw new IndexOutOfBoundsException("chunk " + Arrays.toString(index) + " outside grid "
                        + Arrays.toString(grid));
            }
        }
    }

    @Override
    public String toString() {
        return "ZarrArray[" + dir + ", shape " + Arrays.toString(shape) + ", chunks " + Arrays.toString(chunks) + ", "
                + type.dtype() + "]";
    }

    /** Least-recently-used decoded chunks, shared by the threads reading one array. */
    private static final class ChunkCache {
        interface Loader {
            float[] load() throws IOException;
        }

        private final java.util.LinkedHashMap<String, float[]> map;

        ChunkCache(long capacity) {
            this.map = new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, float[]> eldest) {
                    return size() > capacity;
                }
            };
        }

        float[] get(String key, Loader loader) throws IOException {
            synchronized (map) {
                float[] v = map.get(key);
                if (v != null) {
                    return v;
                }
            }
            float[] v = loader.load();
            synchronized (map) {
                map.put(key, v);
            }
            return v;
        }
    }
}
