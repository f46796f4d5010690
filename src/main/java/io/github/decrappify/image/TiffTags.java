package io.github.decrappify.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one tag of a TIFF's first image directory that ImageJ's decoder drops for 8- and 32-bit
 * integers: SampleFormat (339; 1 unsigned, 2 signed, 3 floating point, 4 undefined, 5/6 complex).
 * Classic and BigTIFF, either byte order; every offset is checked against the file before it is read.
 */
final class TiffTags {

    static final int UNSIGNED = 1;
    static final int SIGNED = 2;
    static final int FLOAT = 3;

    private static final int SAMPLE_FORMAT = 339;
    /** More entries than any real directory holds; a corrupt count stops here instead of looping. */
    private static final int MAX_ENTRIES = 4096;

    private TiffTags() {
    }

    /** The first sample's SampleFormat, {@link #UNSIGNED} when the tag is absent (the TIFF default). */
    static int sampleFormat(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long length = ch.size();
            ByteBuffer head = read(ch, 0, 16, length);
            ByteOrder order = switch (head.getShort(0)) {
                case 0x4949 -> ByteOrder.LITTLE_ENDIAN;
                case 0x4d4d -> ByteOrder.BIG_ENDIAN;
                default -> throw new IOException("not a TIFF header");
            };
            head.order(order);
            int version = head.getShort(2) & 0xffff;
            boolean big = version == 43;
            if (!big && version != 42) {
                throw new IOException("unknown TIFF version " + version);
            }
            long ifd = big ? head.getLong(8) : head.getInt(4) & 0xffffffffL;
            int countBytes = big ? 8 : 2;
            int entryBytes = big ? 20 : 12;
            ByteBuffer countBuf = read(ch, ifd, countBytes, length).order(order);
            long count = big ? countBuf.getLong(0) : countBuf.getShort(0) & 0xffff;
            if (count < 0 || count > MAX_ENTRIES) {
                throw new IOException("image directory claims " + count + " entries");
            }
            ByteBuffer entries = read(ch, ifd + countBytes, (int) count * entryBytes, length).order(order);
            for (int i = 0; i < count; i++) {
                int at = i * entryBytes;
                if ((entries.getShort(at) & 0xffff) != SAMPLE_FORMAT) {
                    continue;
                }
                int type = entries.getShort(at + 2) & 0xffff;
                long n = big ? entries.getLong(at + 4) : entries.getInt(at + 4) & 0xffffffffL;
                int valueAt = at + (big ? 12 : 8);
                int inline = big ? 8 : 4;
                int size = type == 3 ? 2 : type == 4 ? 4 : type == 1 ? 1 : 0; // SHORT, LONG, BYTE
                if (size == 0 || n < 1) {
                    throw new IOException("SampleFormat tag of type " + type);
                }
                if (n * size <= inline) {
                    return value(entries, valueAt, size);
                }
                long offset = big ? entries.getLong(valueAt) : entries.getInt(valueAt) & 0xffffffffL;
                return value(read(ch, offset, size, length).order(order), 0, size);
            }
            return UNSIGNED;
        }
    }

    private static int value(ByteBuffer b, int at, int size) {
        return switch (size) {
            case 1 -> b.get(at) & 0xff;
            case 2 -> b.getShort(at) & 0xffff;
            default -> b.getInt(at);
        };
    }

    private static ByteBuffer read(FileChannel ch, long offset, int bytes, long length) throws IOException {
        if (offset < 0 || offset + bytes > length) {
            throw new IOException("directory data at byte " + offset + " beyond the file's " + length + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(bytes);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b;
    }
}
