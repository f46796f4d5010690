package io.github.decrappify.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a zip's central directory by hand, because {@link java.util.zip.ZipEntry} hides what safety checks
 * need: the host system and external attributes (unix file type, so symbolic links show up) and the
 * declared sizes of every entry before anything is inflated.
 */
final class ZipDirectory {

    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int EOCD_SIZE = 22;
    /** Bounds memory for the directory itself; 10 000 entries with long names fit easily. */
    private static final int MAX_DIRECTORY_BYTES = 16 << 20;

    /** One central-directory record. Sizes are as declared, so they may lie; extraction re-counts. */
    record Entry(String name, int hostSystem, int externalAttributes, int flags, int method, long compressedSize,
            long size) {

        private static final int UNIX = 3;
        private static final int MAC_OSX = 19;

        /** Unix file-type bits ({@code S_IFMT}) or 0 when the archiver recorded none. */
        int unixFileType() {
            return hostSystem == UNIX || hostSystem == MAC_OSX ? (externalAttributes >>> 16) & 0170000 : 0;
        }

        boolean isDirectory() {
            return name.endsWith("/");
        }
    }

    private ZipDirectory() {}

    /** @throws IOException with a short reason when the file is not a zip this reader understands */
    static List<Entry> read(Path zip) throws IOException {
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = ch.size();
            int tailLength = (int) Math.min(size, EOCD_SIZE + 0xFFFF);
            ByteBuffer tail = readFully(ch, size - tailLength, tailLength);
            int eocd = -1;
            for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
                if (tail.getInt(i) == EOCD_SIGNATURE) {
                    eocd = i;
                    break;
                }
            }
            if (eocd < 0) {
                throw new IOException("not a zip archive (no end-of-central-directory record)");
            }
            int count = Short.toUnsignedInt(tail.getShort(eocd + 10));
            long dirSize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
            long dirOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
            if (count == 0xFFFF || dirSize == 0xFFFFFFFFL || dirOffset == 0xFFFFFFFFL) {
                throw new IOException("ZIP64 archives are not supported (bundles are far below 4 GiB)");
            }
            if (dirSize > MAX_DIRECTORY_BYTES || dirOffset + dirSize > size) {
                throw new IOException("corrupt or oversized central directory");
            }
            return parse(readFully(ch, dirOffset, (int) dirSize), count);
        }
    }

    private static List<Entry> parse(ByteBuffer dir, int count) throws IOException {
        List<Entry> entries = new ArrayList<>(count);
        int p = 0;
        for (int i = 0; i < count; i++) {
            if (p + 46 > dir.limit() || dir.getInt(p) != CENTRAL_SIGNATURE) {
                throw new IOException("corrupt central directory at entry " + i);
            }
            int madeBy = Short.toUnsignedInt(dir.getShort(p + 4));
            int flags = Short.toUnsignedInt(dir.getShort(p + 8));
            int method = Short.toUnsignedInt(dir.getShort(p + 10));
            long compressed = Integer.toUnsignedLong(dir.getInt(p + 20));
            long uncompressed = Integer.toUnsignedLong(dir.getInt(p + 24));
            int nameLength = Short.toUnsignedInt(dir.getShort(p + 28));
            int extraLength = Short.toUnsignedInt(dir.getShort(p + 30));
            int commentLength = Short.toUnsignedInt(dir.getShort(p + 32));
            int external = dir.getInt(p + 38);
            if (p + 46 + nameLength > dir.limit()) {
                throw new IOException("corrupt central directory at entry " + i);
            }
            byte[] name = new byte[nameLength];
            dir.get(p + 46, name);
            entries.add(new Entry(new String(name, StandardCharsets.UTF_8), madeBy >>> 8, external, flags, method,
                    compressed, uncompressed));
            p += 46 + nameLength + extraLength + commentLength;
        }
        return entries;
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("truncated zip archive");
            }
        }
        return buf.flip();
    }
}
