package io.github.decrappify.image;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Whole-file writes that readers see complete or not at all: a hidden temporary file, then a rename
 * (OME-Zarr chunks and metadata, TIFF outputs, CSV tables, PNG plots, cached natives).
 *
 * <p>Every temporary file has a unique name and is created exclusively ({@code O_EXCL}), so a file or
 * a symbolic link planted at a predictable name is never truncated or followed. Temporary files still
 * present when the JVM shuts down (Ctrl-C, SIGTERM, {@code System.exit}) are deleted; only a hard kill
 * leaves one behind, hidden and named after its target. Streamed outputs ({@link #open}) also hold a
 * lock for as long as they are written, so a second writer of the same output, in this process or
 * another, is refused instead of racing the first.
 */
public final class AtomicFiles {

    /**
     * Temporary files and locks of this JVM not yet committed or closed. Static because the shutdown hook
     * that clears them is per JVM; entries only live while a write is in progress.
     */
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK = new AtomicBoolean();

    private AtomicFiles() {
    }

    /** Deletes {@code file} if this JVM shuts down before {@link #forget} (idempotent hook registration). */
    static void deleteOnShutdown(Path file) {
        if (HOOK.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (Path p : PENDING) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // best effort while the JVM goes down
                    }
                }
            }, "decrappify-temp-cleanup"));
        }
        PENDING.add(file);
    }

    static void forget(Path file) {
        PENDING.remove(file);
    }

    /** An exclusive, unique, hidden temporary file beside {@code target} (or in {@code folder}). */
    static Path createTemp(Path folder, Path target) throws IOException {
        Path temp = Files.createTempFile(folder, "." + target.getFileName() + ".", ".part");
        deleteOnShutdown(temp);
        return temp;
    }

    /**
     * Opens a streamed write of {@code target}: write through {@link Output#channel()}, then
     * {@link Output#commit()} renames the complete file onto the target; {@link Output#close()} without a
     * commit deletes it.
     *
     * <p>Each writer holds an OS lock on its own temporary file (released by the OS if the process dies), and
     * refuses to start while another temporary file of the same target is locked, by this process or
     * another. Two writers starting at the very same moment may both refuse; neither corrupts the other.
     * (No shared lock file: POSIX drops a process's locks when any descriptor of the file closes, and
     * deleting a shared lock file races with the next writer.)
     *
     * @throws IOException also when another writer is writing the same target; the message names it
     */
    public static Output open(Path target) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        Path parent = t.getParent();
        Files.createDirectories(parent);
        Path temp = createTemp(parent, t);
        FileChannel channel = null;
        Object key = null;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            if (channel.tryLock() == null) {
                throw new IOException("cannot lock " + temp + " for writing");
            }
            key = fileKey(temp);
            if (key != null) {
                WRITING.add(key);
            }
            if (anotherWriter(parent, t, key)) {
                throw new IOException("another writer is writing " + t + " right now; wait for it to finish or choose"
                        + " another output");
            }
            return new Output(t, temp, channel, key);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(temp);
            forget(temp);
            if (key != null) {
                WRITING.remove(key);
            }
            throw e;
        }
    }

    /** File keys (device and inode) of the temporary files this JVM is streaming into. */
    private static final Set<Object> WRITING = ConcurrentHashMap.newKeySet();

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Is another temporary file of {@code target} locked (a live writer)? Stale ones of a killed run are not. */
    private static boolean anotherWriter(Path folder, Path target, Object own) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        List<Path> candidates;
        try (Stream<Path> files = Files.list(folder)) {
            candidates = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".part")
                        && n.substring(prefix.length(), n.length() - 5).matches("\\d+");
            }).toList();
        }
        for (Path c : candidates) {
            Object key = fileKey(c);
            if (key == null || key.equals(own)) {
                continue;
            }
            if (WRITING.contains(key)) {
                return true; // this JVM writes it: probing would release our own lock when the probe closes
            }
            try (FileChannel probe = FileChannel.open(c, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                FileLock lock = probe.tryLock();
                if (lock == null) {
                    return true;
                }
                lock.release();
            } catch (OverlappingFileLockException e) {
                return true;
            } catch (IOException e) {
                // vanished (committed or closed meanwhile) or not ours to open: not a live writer of this target
            }
        }
        return false;
    }

    /** A streamed write in progress: see {@link #open}. Not thread-safe. */
    public static final class Output implements Closeable {
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final Object key;
        private boolean done;

        private Output(Path target, Path temp, FileChannel channel, Object key) {
            this.target = target;
            this.temp = temp;
            this.channel = channel;
            this.key = key;
        }

        public FileChannel channel() {
            return channel;
        }

        /** Where the bytes go until {@link #commit()}: unique per writer. */
        public Path temporaryFile() {
            return temp;
        }

        /** Flushes to disk and renames onto the target (replacing it), then releases the lock. */
        public void commit() throws IOException {
            if (done) {
                throw new IllegalStateException("output " + target + " is already committed or closed");
            }
            channel.force(true);
            move(temp, target);
            done = true;
            finish();
        }

        /** Deletes the temporary file unless committed, and releases the lock. Idempotent. */
        @Override
        public void close() throws IOException {
            try {
                if (!done) {
                    done = true;
                    Files.deleteIfExists(temp);
                }
            } finally {
                finish();
            }
        }

        private void finish() throws IOException {
            forget(temp);
            if (key != null) {
                WRITING.remove(key);
            }
            channel.close();
        }
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
        write(target, tempDir, true,
                temp -> Files.write(temp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                        LinkOption.NOFOLLOW_LINKS));
    }

    /** What a whole-file write puts into its (already created, empty) temporary file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temp) throws IOException;
    }

    /**
     * As {@link #write(Path, byte[])} for content written by {@code content} (a copied stream, a zip): the
     * target is replaced only once the content is complete.
     */
    public static void write(Path target, Content content) throws IOException {
        write(target, null, true, content);
    }

    /**
     * As {@link #write(Path, Content)}, but never replaces a file: not one that existed before, nor one created
     * by someone else while the content was written (a hard link is created exclusively, then the temporary name
     * removed; where there are no hard links, a plain move that still never replaces).
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code target} exists; the temporary file is deleted
     */
    public static void create(Path target, Content content) throws IOException {
        write(target, null, false, content);
    }

    private static void write(Path target, Path tempDir, boolean replace, Content content) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path folder = tempDir != null ? Files.createDirectories(tempDir) : parent;
        Path temp = createTemp(folder, target);
        try {
            content.writeTo(temp);
            if (replace) {
                move(temp, target);
            } else {
                moveNoReplace(temp, target);
            }
        } finally {
            Files.deleteIfExists(temp);
            forget(temp);
        }
    }

    private static void moveNoReplace(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            if (e instanceof java.nio.file.FileAlreadyExistsException exists) {
                throw exists;
            }
            Files.move(from, to); // no hard links here: not atomic, but still never replaces
            return;
        }
        Files.delete(from);
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
