package io.github.decrappify.volume;

import com.google.gson.JsonObject;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.image.zarr.OmeZarrStackSource;
import io.github.decrappify.image.zarr.ZarrArray;
import io.github.decrappify.model.Checksums;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;

/**
 * A cheap fingerprint of an input's <em>content</em>, kept in the manifest so that a resumed restoration
 * never mixes blocks of an old input with blocks of a changed one (same path, same shape, new data).
 *
 * <p>What is read: for an OME-Zarr, its {@code .zattrs} and {@code .zarray} whole, and {@value #SAMPLES}
 * chunk files spread evenly over the chunk grid (first and last included); for any other file, the file.
 * Each contributes its size, modification time and a SHA-256 of its first and last
 * {@value #BLOCK_BYTES} bytes (for a single file: of {@value #SAMPLES} such blocks spread over it). About
 * 4 MB read whatever the volume's size. A change confined to chunks that are not sampled, keeping their
 * size and modification time, goes unnoticed: rewriting data in place without touching its time is
 * what this cannot see.
 */
final class InputFingerprint {

    static final int SAMPLES = 32;
    static final int BLOCK_BYTES = 1 << 16;

    private InputFingerprint() {
    }

    /** {@code {"sampled": "...", "files": n, "sha256": "..."}} for {@code input} opened as {@code source}. */
    static JsonObject of(Path input, ImageStackSource source) throws IOException {
        MessageDigest digest = Checksums.newDigest();
        int files;
        String what;
        if (source instanceof OmeZarrStackSource zarr) {
            OmeZarr image = zarr.image();
            ZarrArray array = image.array();
            files = 0;
            for (Path meta : new Path[] {image.root().resolve(".zattrs"), array.directory().resolve(ZarrArray.METADATA)}) {
                files += add(digest, image.root(), meta, Long.MAX_VALUE);
            }
            long[] grid = array.chunkGrid();
            long total = 1;
            for (long g : grid) {
                total = Math.multiplyExact(total, g);
            }
            long samples = Math.min(SAMPLES, total);
            for (long k = 0; k < samples; k++) {
                long linear = samples == 1 ? 0 : Math.round((double) k * (total - 1) / (samples - 1));
                files += add(digest, image.root(), array.chunkPath(unravel(linear, grid)), BLOCK_BYTES);
            }
            what = "metadata and " + samples + " of " + total + " chunks: size, modification time, sha256 of first and"
                    + " last " + BLOCK_BYTES + " bytes";
        } else {
            files = addSampledFile(digest, input);
            what = "file size, modification time, sha256 of " + SAMPLES + " blocks of " + BLOCK_BYTES + " bytes";
        }
        JsonObject o = new JsonObject();
        o.addProperty("sampled", what);
        o.addProperty("files", files);
        o.addProperty("sha256", Checksums.hex(digest));
        return o;
    }

    private static long[] unravel(long linear, long[] grid) {
        long[] index = new long[grid.length];
        for (int d = grid.length - 1; d >= 0; d--) {
            index[d] = linear % grid[d];
            linear /= grid[d];
        }
        return index;
    }

    /** Adds one file (name relative to {@code root}, size, time, its head and tail); 0 if it does not exist. */
    private static int add(MessageDigest digest, Path root, Path file, long edgeBytes) throws IOException {
        digest.update((root.relativize(file).toString() + "\0").getBytes(StandardCharsets.UTF_8));
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            digest.update((byte) 0); // a missing chunk (fill value) is part of the content too
            return 0;
        }
        digest.update(longBytes(attrs.size()));
        digest.update(longBytes(attrs.lastModifiedTime().toMillis()));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = attrs.size();
            if (size / 2 <= edgeBytes) {
                read(ch, 0, size, digest);
            } else {
                read(ch, 0, edgeBytes, digest);
                read(ch, size - edgeBytes, edgeBytes, digest);
            }
        }
        return 1;
    }

    private static int addSampledFile(MessageDigest digest, Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        attrs = attrs.isSymbolicLink() ? Files.readAttributes(file, BasicFileAttributes.class) : attrs;
        long size = attrs.size();
        digest.update(longBytes(size));
        digest.update(longBytes(attrs.lastModifiedTime().toMillis()));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (size <= (long) SAMPLES * BLOCK_BYTES) {
                read(ch, 0, size, digest);
            } else {
                for (int k = 0; k < SAMPLES; k++) {
                    read(ch, Math.round((double) k * (size - BLOCK_BYTES) / (SAMPLES - 1)), BLOCK_BYTES, digest);
                }
            }
        }
        return 1;
    }

    private static void read(FileChannel ch, long position, long length, MessageDigest digest) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
        long done = 0;
        while (done < length) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - done));
            int n = ch.read(buf, position + done);
            if (n < 0) {
                break; // shrank while reading: the digest differs, which is right
            }
            buf.flip();
            digest.update(buf);
            done += n;
        }
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
