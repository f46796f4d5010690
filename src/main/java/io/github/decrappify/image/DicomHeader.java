package io.github.decrappify.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * What a DICOM file claims, walked element by element with every length checked against the file
 * before ImageJ's decoder reads it: that decoder allocates a string of whatever length an element
 * claims (a 1 kB file claiming a 2 GB patient name ran it out of memory) and reads pixel data claimed
 * beyond the file's end as zeros. Elements are read as ImageJ reads them: explicit VR when the two
 * bytes after the tag name a VR, else implicit; sequences and items (defined or undefined length)
 * are entered, so nested lengths are checked too. Explicit VR little and big endian, implicit VR;
 * encapsulated (compressed) pixel data is bounded by the decode budget only.
 */
final class DicomHeader {

    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int TRANSFER_SYNTAX = 0x00020010;
    private static final int SAMPLES = 0x00280002;
    private static final int FRAMES = 0x00280008;
    private static final int ROWS = 0x00280010;
    private static final int COLUMNS = 0x00280011;
    private static final int BITS_ALLOCATED = 0x00280100;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** VRs with a 2-byte reserved field and a 4-byte length in explicit VR. */
    private static final Set<String> LONG_VRS = Set.of("OB", "OW", "OF", "OL", "OD", "OV", "SQ", "UT", "UN", "UC",
            "UR", "SV", "UV");
    private static final Set<String> SHORT_VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO",
            "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US");
    /** Deeper than any real header nests sequences. */
    private static final int MAX_DEPTH = 64;

    private DicomHeader() {
    }

    /**
     * Width, height and frames of the image, or {@code null} when there is no uncompressed pixel data
     * to check (ImageJ then decides).
     *
     * @throws BadInputException when an element or the pixel data claims bytes beyond the file's end
     */
    static long[] claims(Path path, long fileLength) throws BadInputException {
        String name = path.getFileName().toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long pos = fileLength >= 132 && "DICM".equals(ascii(read(ch, 128, 4, fileLength).array())) ? 132 : 0;
            String syntax = "";
            long rows = -1;
            long columns = -1;
            long bits = 16;
            long samples = 1;
            long frames = 1;
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            boolean meta = true; // the file meta group (0002,xxxx) is always explicit VR little endian
            Deque<Long> ends = new ArrayDeque<>(); // where each open sequence or item ends; UNDEFINED: at its delimiter
            while (true) {
                while (!ends.isEmpty() && ends.peek() != UNDEFINED && pos >= ends.peek()) {
                    ends.pop();
                }
                if (pos + 8 > fileLength) {
                    return null; // no pixel data: ImageJ refuses it
                }
                ByteBuffer head = read(ch, pos, 8, fileLength).order(ByteOrder.LITTLE_ENDIAN);
                if (meta && (head.getShort(0) & 0xffff) != 0x0002) {
                    meta = false;
                    if (syntax.equals("1.2.840.10008.1.2.1.99")) {
                        return null; // the data set is deflated: ImageJ cannot read it
                    }
                    order = syntax.equals("1.2.840.10008.1.2.2") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                }
                head.order(order);
                int tag = (head.getShort(0) & 0xffff) << 16 | (head.getShort(2) & 0xffff);
                String vr = ascii(new byte[] {head.get(4), head.get(5)});
                long length;
                int headerBytes;
                boolean explicitLong = LONG_VRS.contains(vr) && head.get(6) == 0 && head.get(7) == 0;
                if ((tag >>> 16) == 0xFFFE) {
                    vr = "";
                    length = head.getInt(4) & 0xffffffffL;
                    headerBytes = 8;
                } else if (explicitLong) {
                    if (pos + 12 > fileLength) {
                        return null;
                    }
                    length = read(ch, pos + 8, 4, fileLength).order(head.order()).getInt(0) & 0xffffffffL;
                    headerBytes = 12;
                } else if (SHORT_VRS.contains(vr)) {
                    length = head.getShort(6) & 0xffff;
                    headerBytes = 8;
                } else {
                    vr = "";
                    length = head.getInt(4) & 0xffffffffL;
                    headerBytes = 8;
                }
                long at = pos;
                pos += headerBytes;
                boolean top = ends.isEmpty();
                if (tag == ITEM_END || tag == SEQUENCE_END) {
                    if (!ends.isEmpty() && ends.peek() == UNDEFINED) {
                        ends.pop();
                    }
                    continue;
                }
                if (length == UNDEFINED) {
                    if (tag == PIXEL_DATA && top) {
                        if (!compressed(syntax)) {
                            throw new BadInputException(name + " is a corrupt DICOM: its pixel data have no length"
                                    + " but are not compressed; re-export it as TIFF");
                        }
                        return dimensions(rows, columns, frames);
                    }
                    open(ends, UNDEFINED, name);
                    continue;
                }
                // Pixel data: what the image claims is what ImageJ reads (the element's own length aside).
                if (tag == PIXEL_DATA && top && length > 0) {
                    long[] size = dimensions(rows, columns, frames);
                    if (size == null || compressed(syntax) || samples != 1) {
                        return size; // colour (subsampled YBR too) is refused once decoded, within the budget
                    }
                    long bytes;
                    try {
                        bytes = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(rows, columns), frames),
                                bits);
                        bytes = Math.addExact(bytes / 8 + (bytes % 8 != 0 ? 1 : 0), pos);
                    } catch (ArithmeticException e) {
                        bytes = Long.MAX_VALUE;
                    }
                    if (bytes > fileLength) {
                        throw new BadInputException(name + " is truncated or its header is wrong: it claims " + columns
                                + "x" + rows + " pixels" + (frames > 1 ? " x " + frames + " frames" : "") + " of "
                                + bits + " bits (" + bytes + " bytes) but the file has " + fileLength
                                + "; re-copy or re-export it");
                    }
                    return size;
                }
                if (length > fileLength - pos) {
                    throw new BadInputException(String.format("%s is truncated or corrupt: DICOM element (%04X,%04X) at"
                            + " byte %d claims %d bytes but the file has %d; re-copy or re-export it as TIFF", name,
                            tag >>> 16, tag & 0xffff, at, length, fileLength));
                }
                if (tag == ITEM || vr.equals("SQ")
                        || (vr.isEmpty() && length >= 8 && startsWithItem(ch, pos, fileLength, order))) {
                    open(ends, pos + length, name);
                    continue;
                }
                if (top && length <= 64) {
                    ByteBuffer v = read(ch, pos, (int) length, fileLength).order(order);
                    switch (tag) {
                        case TRANSFER_SYNTAX -> syntax = ascii(v.array()).replace("\0", "").strip();
                        case ROWS -> rows = length >= 2 ? v.getShort(0) & 0xffff : rows;
                        case COLUMNS -> columns = length >= 2 ? v.getShort(0) & 0xffff : columns;
                        case BITS_ALLOCATED -> bits = length >= 2 ? v.getShort(0) & 0xffff : bits;
                        case SAMPLES -> samples = length >= 2 ? v.getShort(0) & 0xffff : samples;
                        case FRAMES -> frames = frames(ascii(v.array()));
                        default -> {
                        }
                    }
                }
                pos += length;
            }
        } catch (IOException e) {
            throw new BadInputException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static void open(Deque<Long> ends, long end, String name) throws BadInputException {
        if (ends.size() >= MAX_DEPTH) {
            throw new BadInputException(name + " is a corrupt DICOM (sequences nested deeper than " + MAX_DEPTH
                    + "); re-export it as TIFF");
        }
        ends.push(end);
    }

    /** ImageJ's reading of Number of Frames: a decimal number, 1 unless above 1. */
    private static long frames(String s) {
        try {
            double d = Double.parseDouble(s.replace("\0", "").strip());
            return d > 1 ? (long) Math.min(d, Integer.MAX_VALUE) : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static long[] dimensions(long rows, long columns, long frames) {
        if (rows < 0 || columns < 0) {
            return null; // ImageJ refuses an image without a size
        }
        return new long[] {columns, rows, frames};
    }

    /** Encapsulated pixel data: JPEG family or RLE. */
    private static boolean compressed(String syntax) {
        return syntax.startsWith("1.2.840.10008.1.2.4.") || syntax.equals("1.2.840.10008.1.2.5");
    }

    private static boolean startsWithItem(FileChannel ch, long pos, long fileLength, ByteOrder order) throws IOException {
        ByteBuffer b = read(ch, pos, 4, fileLength).order(order);
        return ((b.getShort(0) & 0xffff) << 16 | (b.getShort(2) & 0xffff)) == ITEM;
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static ByteBuffer read(FileChannel ch, long offset, int bytes, long length) throws IOException {
        if (offset < 0 || offset + bytes > length) {
            throw new IOException("header data at byte " + offset + " beyond the file's " + length + " bytes");
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
