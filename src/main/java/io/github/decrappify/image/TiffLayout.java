package io.github.decrappify.image;

import java.nio.ByteBuffer;

/**
 * Byte positions of everything in a {@link TiffStackWriter} file, fixed before the first plane is
 * written: header, first directory and its tag data, contiguous planes, then the other directories.
 */
final class TiffLayout {

    static final int FIRST_IFD = 8;
    /** "IJIJ" magic plus one (type, count) pair: the Info property only. */
    static final int METADATA_HEADER_BYTES = 12;

    private static final short ASCII = 2;
    private static final short SHORT = 3;
    private static final short LONG = 4;
    private static final short RATIONAL = 5;
    private static final short BYTE = 1;

    private final StackShape shape;
    private final boolean calibrated;
    private final int descriptionBytes;
    private final int infoChars;
    private final int descriptionOffset;
    private final int resolutionOffset;
    private final int metadataOffset;
    private final int headerBytes;
    private final long dataEnd;
    private final boolean trailingDirectories;

    TiffLayout(StackShape shape, boolean calibrated, int descriptionBytes, int infoChars, boolean singleDirectory) {
        this.shape = shape;
        this.calibrated = calibrated;
        this.descriptionBytes = descriptionBytes;
        this.infoChars = infoChars;
        this.descriptionOffset = FIRST_IFD + directoryBytes(true);
        this.resolutionOffset = even(descriptionOffset + descriptionBytes);
        int afterResolution = resolutionOffset + (calibrated ? 16 : 0);
        this.metadataOffset = afterResolution;
        int afterMetadata = metadataOffset + (infoChars > 0 ? 8 + metadataBytes() : 0);
        this.headerBytes = (afterMetadata + 15) & ~15; // planes start 16-byte aligned
        this.dataEnd = headerBytes + shape.planeBytes() * shape.planeCount();
        long directoriesEnd = dataEnd + directoryBytes(false) * (long) (shape.planeCount() - 1);
        this.trailingDirectories = shape.planeCount() > 1 && !singleDirectory
                && directoriesEnd <= TiffStackWriter.MAX_CLASSIC_OFFSET;
    }

    private static int even(int offset) {
        return (offset + 1) & ~1;
    }

    private int metadataBytes() {
        return METADATA_HEADER_BYTES + 2 * infoChars;
    }

    private int entries(boolean first) {
        int n = 12; // subfile, width, length, bits, compression, photometric, description, offsets,
                    // samples, rows per strip, byte counts, sample format
        if (calibrated) {
            n += 3;
        }
        if (first && infoChars > 0) {
            n += 2;
        }
        return n;
    }

    int directoryBytes(boolean first) {
        return 2 + 12 * entries(first) + 4;
    }

    int descriptionOffset() {
        return descriptionOffset;
    }

    int resolutionOffset() {
        return resolutionOffset;
    }

    int metadataOffset() {
        return metadataOffset;
    }

    /** Bytes before the first plane. */
    int headerBytes() {
        return headerBytes;
    }

    long planeOffset(int index) {
        return headerBytes + shape.planeBytes() * index;
    }

    /** False when they would not be addressable with 32-bit offsets (files beyond 4 GiB). */
    boolean trailingDirectories() {
        return trailingDirectories;
    }

    long directoryOffset(int index) {
        return index == 0 ? FIRST_IFD : dataEnd + directoryBytes(false) * (long) (index - 1);
    }

    /** Total file size once committed. */
    long fileBytes() {
        return trailingDirectories ? directoryOffset(shape.planeCount()) : dataEnd;
    }

    /** Writes the directory of plane {@code index} at the buffer's position; entries in ascending tag order. */
    void putDirectory(ByteBuffer b, int index, boolean first, long next) {
        b.putShort((short) entries(first));
        entry(b, 254, LONG, 1, 0);
        entry(b, 256, LONG, 1, shape.width());
        entry(b, 257, LONG, 1, shape.height());
        entry(b, 258, SHORT, 1, shape.bitDepth());
        entry(b, 259, SHORT, 1, 1); // no compression
        entry(b, 262, SHORT, 1, 1); // black is zero
        entry(b, 270, ASCII, descriptionBytes, descriptionOffset);
        entry(b, 273, LONG, 1, planeOffset(index));
        entry(b, 277, SHORT, 1, 1);
        entry(b, 278, LONG, 1, shape.height());
        entry(b, 279, LONG, 1, shape.planeBytes());
        if (calibrated) {
            entry(b, 282, RATIONAL, 1, resolutionOffset);
            entry(b, 283, RATIONAL, 1, resolutionOffset + 8);
            entry(b, 296, SHORT, 1, 1); // no absolute unit: ImageJ keeps the unit in the description
        }
        entry(b, 339, SHORT, 1, shape.bitDepth() == 32 ? 3 : 1); // IEEE float or unsigned integer
        if (first && infoChars > 0) {
            entry(b, 50838, LONG, 2, metadataOffset); // ImageJ MetaDataByteCounts: header, info
            entry(b, 50839, BYTE, metadataBytes(), metadataOffset + 8); // ImageJ MetaData
        }
        b.putInt((int) next);
    }

    private static void entry(ByteBuffer b, int tag, short type, int count, long value) {
        b.putShort((short) tag).putShort(type).putInt(count);
        if (type == SHORT && count == 1) {
            b.putShort((short) value).putShort((short) 0); // SHORT values are left-justified
        } else {
            b.putInt((int) value);
        }
    }
}
