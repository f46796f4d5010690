package io.github.decrappify.model;

import io.github.decrappify.image.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Extracts untrusted zips safely and writes reproducible ones.
 *
 * <p>{@link #extract} checks the whole central directory before inflating anything and refuses: absolute
 * paths, drive letters, backslashes and {@code ..} (zip-slip); symbolic links and other non-regular unix
 * file types; encrypted entries and methods other than stored/deflated; duplicate names (also when they
 * differ only in case, which would collide on macOS and Windows); more than {@code maxEntries} entries;
 * more than {@code maxTotalBytes} in total; entries inflating more than {@code maxRatio} times their
 * compressed size (zip bombs). Sizes are counted again while inflating, since headers can lie. Output goes
 * to a hidden sibling folder which is renamed to the target only when everything succeeded, so a refused or
 * interrupted extraction leaves nothing behind.
 *
 * <pre>{@code
 * SafeZip.DEFAULT.extract(downloadedZip, cacheDir.resolve(sha256));   // target must not exist yet
 * }</pre>
 */
public final class SafeZip {

    /** 10 000 entries, 2 GiB, ratio 100: generous for model bundles, fatal for bombs. */
    public static final SafeZip DEFAULT = new SafeZip(10_000, 2L << 30, 100);

    /** Small entries (e.g. zero-initialised tensors) may compress extremely well without being bombs. */
    static final long RATIO_EXEMPT_BYTES = 1 << 20;
    /** Fixed entry time (the DOS epoch) so that zipping the same files always gives the same bytes. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final int maxEntries;
    private final long maxTotalBytes;
    private final long maxRatio;

    /** Limits for {@link #extract}; tests lower them to build small hostile archives. */
    public SafeZip(int maxEntries, long maxTotalBytes, long maxRatio) {
        if (maxEntries < 1 || maxTotalBytes < 1 || maxRatio < 1) {
            throw new IllegalArgumentException("zip limits must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxTotalBytes = maxTotalBytes;
        this.maxRatio = maxRatio;
    }

    /**
     * Extracts {@code zip} into the new folder {@code target} (whose parent must exist), all or nothing.
     *
     * @throws BundleException naming the archive and the offending entry; {@code target} then does not exist
     */
    public void extract(Path zip, Path target) throws BundleException {
        String label = zip.getFileName().toString();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleException(label + ": cannot extract into " + target + ", which already exists");
        }
        List<ZipDirectory.Entry> entries;
        try {
            entries = ZipDirectory.read(zip);
        } catch (IOException e) {
            throw new BundleException(label + ": " + e.getMessage(), e);
        }
        checkDirectory(label, entries);
        Path parent = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".part-");
            inflate(label, zip, entries, temp);
            Folders.moveAtomically(temp, target);
            temp = null;
        } catch (IOException e) {
            throw new BundleException(label + ": extraction failed (" + e.getMessage() + ")", e);
        } finally {
            if (temp != null) {
                Folders.deleteTreeQuietly(temp);
            }
        }
    }

    private void checkDirectory(String label, List<ZipDirectory.Entry> entries) throws BundleException {
        if (entries.size() > maxEntries) {
            throw refuse(label, "has " + entries.size() + " entries, more than the limit of " + maxEntries);
        }
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (ZipDirectory.Entry e : entries) {
            String problem = pathProblem(e.name());
            if (problem != null) {
                throw refuse(label, "entry '" + printable(e.name()) + "' " + problem);
            }
            int type = e.unixFileType();
            if (type == 0120000) {
                throw refuse(label, "entry '" + e.name() + "' is a symbolic link");
            }
            if (type != 0 && type != 0100000 && type != 0040000) {
                throw refuse(label, "entry '" + e.name() + "' is not a regular file or folder");
            }
            if ((e.flags() & 1) != 0) {
                throw refuse(label, "entry '" + e.name() + "' is encrypted");
            }
            if (e.method() != ZipEntry.STORED && e.method() != ZipEntry.DEFLATED) {
                throw refuse(label, "entry '" + e.name() + "' uses compression method " + e.method()
                        + " (only stored and deflated are supported)");
            }
            if (!seen.add(stripSlash(e.name()).toLowerCase(Locale.ROOT))) {
                throw refuse(label, "has a duplicate entry '" + e.name() + "'");
            }
            checkRatio(label, e.name(), e.size(), e.compressedSize());
            total += e.size();
            if (total > maxTotalBytes) {
                throw refuse(label, "would inflate beyond the limit of " + maxTotalBytes + " bytes");
            }
        }
    }

    private void inflate(String label, Path zip, List<ZipDirectory.Entry> entries, Path root)
            throws IOException, BundleException {
        long[] total = {0};
        try (ZipFile file = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            if (file.size() != entries.size()) {
                throw refuse(label, "has inconsistent directory records");
            }
            for (ZipDirectory.Entry e : entries) {
                Path out = root.resolve(stripSlash(e.name())).normalize();
                if (!out.startsWith(root)) {
                    throw refuse(label, "entry '" + e.name() + "' escapes the target folder");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                ZipEntry entry = file.getEntry(e.name());
                if (entry == null || entry.isDirectory()) {
                    throw refuse(label, "has inconsistent directory records for '" + e.name() + "'");
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry); OutputStream os = Files.newOutputStream(out)) {
                    copyCounting(label, e, in, os, total);
                }
            }
        }
    }

    private void copyCounting(String label, ZipDirectory.Entry e, InputStream in, OutputStream out, long[] total)
            throws IOException, BundleException {
        byte[] buffer = new byte[1 << 16];
        long written = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            written += n;
            total[0] += n;
            if (written > e.size()) {
                throw refuse(label, "entry '" + e.name() + "' inflates beyond its declared size");
            }
            if (total[0] > maxTotalBytes) {
                throw refuse(label, "would inflate beyond the limit of " + maxTotalBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
        if (written != e.size()) {
            throw refuse(label, "entry '" + e.name() + "' is shorter than declared (truncated archive)");
        }
    }

    private void checkRatio(String label, String name, long size, long compressed) throws BundleException {
        if (size > RATIO_EXEMPT_BYTES && size > maxRatio * Math.max(compressed, 1)) {
            throw refuse(label, "entry '" + name + "' expands " + size / Math.max(compressed, 1)
                    + "-fold (limit " + maxRatio + "): a zip bomb or not a model bundle");
        }
    }

    /** Why {@code name} is not a safe relative path, or {@code null} if it is. */
    static String pathProblem(String name) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            return "has an empty or invalid name";
        }
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            return "has an absolute path";
        }
        if (name.indexOf('\\') >= 0) {
            return "contains a backslash";
        }
        for (String part : stripSlash(name).split("/", -1)) {
            if (part.equals("..")) {
                return "uses '..' to escape the target folder (zip-slip)";
            }
            if (part.isEmpty() || part.equals(".")) {
                return "has an empty or '.' path component";
            }
        }
        return null;
    }

    private static String stripSlash(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static String printable(String name) {
        return name.replaceAll("\\p{Cntrl}", "?");
    }

    private static BundleException refuse(String label, String why) {
        return new BundleException(label + ": " + why + "; refusing to extract it");
    }

    /**
     * Zips the contents of {@code dir} (paths relative to it) into {@code zip} reproducibly: entries sorted
     * by path, fixed timestamps, no extra fields, so identical files always give an identical checksum.
     *
     * @throws IOException also if {@code dir} contains symbolic links or special files
     */
    public static void zipDirectory(Path dir, Path zip) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !p.equals(dir)).forEach(paths::add);
        }
        List<String> names = new ArrayList<>();
        for (Path p : paths) {
            String rel = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                names.add(rel + "/");
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                names.add(rel);
            } else {
                throw new IOException(p + " is not a regular file or folder; cannot zip it");
            }
        }
        names.sort(Comparator.naturalOrder());
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip), StandardCharsets.UTF_8)) {
            for (String name : names) {
                ZipEntry entry = new ZipEntry(name);
                entry.setTimeLocal(FIXED_TIME);
                out.putNextEntry(entry);
                if (!name.endsWith("/")) {
                    Files.copy(dir.resolve(name), out);
                }
                out.closeEntry();
            }
        }
    }
}
