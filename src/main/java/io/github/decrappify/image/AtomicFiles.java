package io.github.decrappify.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Whole-file writes that readers see complete or not at all: a hidden temporary file, then a rename
 * (OME-Zarr chunks and metadata, TIFF outputs, CSV tables, PNG plots, cached natives).
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Writes {@code bytes} to {@code target}, replacing it. The temporary name is unique, so concurrent
     * writers of the same file (a retried and a speculative task) never mix their bytes.
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, null);
    }

    /**
     * As {@link #write(Path, byte[])}, with the temporary file in {@code tempDir} (same file system as the
     * target) instead of beside it: a process killed mid-write then leaves its debris in one folder that
     * is easy to clear, not hidden among millions of chunks.
     */
    public static void write(Path target, byte[] bytes, Path tempDir) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path folder = tempDir != null ? Files.createDirectories(tempDir) : parent;
        Path temp = folder.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            // CREATE_NEW: created exclusively (O_EXCL), so a file or link already at the name is never followed.
            Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** {@link #write(Path, byte[])} of {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Renames a complete temporary file (on the target's file system) to {@code target}, replacing it:
     * atomically where the file system can, else a plain replace.
     */
    public static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
