package io.github.decrappify.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds zips byte by byte for tests, including ones no honest archiver would write. */
final class Zips {

    private Zips() {}

    /** A zip of the given entries (name → content), written in order. */
    static byte[] of(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static Map<String, byte[]> entries(Object... nameThenContent) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            Object c = nameThenContent[i + 1];
            map.put((String) nameThenContent[i], c instanceof byte[] b ? b : c.toString().getBytes(StandardCharsets.UTF_8));
        }
        return map;
    }

    /** Marks entry {@code name} as a unix symbolic link (mode 0120777) in the central directory. */
    static byte[] markSymlink(byte[] zip, String name) {
        ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int p = centralHeader(zip, name);
        buf.putShort(p + 4, (short) ((3 << 8) | 20));
        buf.putInt(p + 38, 0120777 << 16);
        return zip;
    }

    /** Renames every occurrence of {@code from} to {@code to} (same length) in local and central headers. */
    static byte[] rename(byte[] zip, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        if (f.length != t.length) {
            throw new IllegalArgumentException("names must have equal length");
        }
        for (int i = 0; i + f.length <= zip.length; i++) {
            if (java.util.Arrays.equals(zip, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, zip, i, t.length);
            }
        }
        return zip;
    }

    private static int centralHeader(byte[] zip, String name) {
        ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p + 46 < zip.length; p++) {
            if (buf.getInt(p) == 0x02014b50 && Short.toUnsignedInt(buf.getShort(p + 28)) == n.length
                    && java.util.Arrays.equals(zip, p + 46, p + 46 + n.length, n, 0, n.length)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no central header for " + name);
    }

    /** Zips a folder's files flat (paths relative to it), like an ordinary archiver. */
    static byte[] ofFolder(Path dir) throws IOException {
        Map<String, byte[]> map = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                map.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return of(map);
    }

    /** Everything below {@code dir}, hidden entries included; empty if it does not exist. */
    static long countEntries(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir)).count();
        }
    }
}
