package io.github.decrappify.image.zarr;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * The chunk compressors this implementation reads and writes: none, {@code zlib} and {@code gzip}
 * (numcodecs' ids and configuration, {@code {"id": "zlib", "level": 1}}). Blosc, Zstd and LZ4 need
 * native code and are refused with a message saying how to convert the data.
 *
 * @param id {@code null} for uncompressed chunks
 * @param level 0–9 (ignored when reading)
 */
public record ZarrCompressor(String id, int level) {

    public static final ZarrCompressor NONE = new ZarrCompressor(null, 0);

    public static ZarrCompressor zlib(int level) {
        return new ZarrCompressor("zlib", level);
    }

    public static ZarrCompressor gzip(int level) {
        return new ZarrCompressor("gzip", level);
    }

    public ZarrCompressor {
        if (id != null && !id.equals("zlib") && !id.equals("gzip")) {
            throw new IllegalArgumentException("unsupported Zarr compressor '" + id + "'");
        }
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0-9: " + level);
        }
    }

    /**
     * @throws IllegalArgumentException for compressors other than zlib and gzip, naming the way out
     */
    static ZarrCompressor fromJson(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return NONE;
        }
        JsonObject o = e.getAsJsonObject();
        String id = o.has("id") ? o.get("id").getAsString() : "?";
        int level = o.has("level") && !o.get("level").isJsonNull() ? o.get("level").getAsInt() : 1;
        if (!id.equals("zlib") && !id.equals("gzip")) {
            throw new IllegalArgumentException("chunks compressed with '" + id + "' are not supported (zlib, gzip or"
                    + " none are); rewrite the array with one of those, e.g. in Python zarr: "
                    + "zarr.copy_store with compressor=numcodecs.Zlib()");
        }
        return new ZarrCompressor(id, Math.max(0, Math.min(9, level)));
    }

    JsonElement toJson() {
        if (id == null) {
            return JsonNull.INSTANCE;
        }
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("level", level);
        return o;
    }

    /** Encodes a chunk's bytes. */
    public byte[] compress(byte[] raw) throws IOException {
        if (id == null) {
            return raw;
        }
        if (id.equals("gzip")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length / 4 + 64);
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 65536) {
                {
                    def.setLevel(level);
                }
            }) {
                gz.write(raw);
            }
            return bytes.toByteArray();
        }
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length / 4 + 64);
            byte[] buffer = new byte[65536];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                bytes.write(buffer, 0, n);
            }
            return bytes.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * @param expected the chunk's size in bytes when decoded
     * @throws IOException if the data are corrupt or decode to another size
     */
    public byte[] decompress(byte[] stored, int expected) throws IOException {
        byte[] out;
        if (id == null) {
            out = stored;
        } else if (id.equals("gzip")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored), 65536)) {
                out = in.readNBytes(expected + 1);
            }
        } else {
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(stored);
                out = new byte[expected];
                int n = 0;
                byte[] probe = new byte[1];
                while (!inflater.finished()) {
                    int k = n < expected ? inflater.inflate(out, n, expected - n) : inflater.inflate(probe);
                    if (n == expected && k > 0) {
                        throw new IOException("zlib chunk decodes to more than " + expected + " bytes");
                    }
                    if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw new IOException("truncated zlib chunk (" + n + " of " + expected + " bytes)");
                    }
                    n += k;
                }
                if (n != expected) {
                    throw new IOException("zlib chunk decodes to " + n + " bytes, expected " + expected);
                }
            } catch (DataFormatException e) {
                throw new IOException("corrupt zlib chunk: " + e.getMessage(), e);
            } finally {
                inflater.end();
            }
        }
        if (out.length != expected) {
            throw new IOException("chunk holds " + out.length + " bytes, expected " + expected);
        }
        return out;
    }
}
