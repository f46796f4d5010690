package io.github.decrappify.testutil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Minimal single-plane grayscale TIFFs written byte by byte, with the SampleFormat tag other tools
 * (tifffile, libtiff) write and ImageJ never does: signed 8-bit, unsigned 32-bit and the like.
 */
public final class RawTiff {

    public static final int UNSIGNED = 1;
    public static final int SIGNED = 2;
    public static final int FLOAT = 3;

    private RawTiff() {
    }

    /** Little-endian, one strip; {@code values} row-major, stored as {@code bits}-bit samples of {@code sampleFormat}. */
    public static Path write(Path file, int width, int height, int bits, int sampleFormat, long... values)
            throws IOException {
        ByteBuffer data = ByteBuffer.allocate(values.length * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bits) {
                case 8 -> data.put((byte) v);
                case 16 -> data.putShort((short) v);
                case 32 -> data.putInt((int) v);
                default -> throw new IllegalArgumentException("bits " + bits);
            }
        }
        return write(file, width, height, bits, sampleFormat, data.array());
    }

    public static Path write(Path file, int width, int height, int bits, int sampleFormat, byte[] data)
            throws IOException {
        return write(file, width, height, bits, sampleFormat, data, null);
    }

    /** With an ImageDescription (e.g. ImageJ's {@code "ImageJ=1.54p\nimages=4\n"}) when not null. */
    public static Path write(Path file, int width, int height, int bits, int sampleFormat, byte[] data,
            String description) throws IOException {
        byte[] text = description == null ? new byte[0]
                : (description + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int entries = description == null ? 9 : 10;
        int ifd = 8;
        int textOffset = ifd + 2 + 12 * entries + 4;
        int dataOffset = textOffset + text.length;
        ByteBuffer b = ByteBuffer.allocate(dataOffset + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        entry(b, 256, 4, width);
        entry(b, 257, 4, height);
        entry(b, 258, 3, bits);
        entry(b, 259, 3, 1);
        entry(b, 262, 3, 1);
        if (description != null) {
            b.putShort((short) 270).putShort((short) 2).putInt(text.length).putInt(textOffset);
        }
        entry(b, 273, 4, dataOffset);
        entry(b, 277, 3, 1);
        entry(b, 279, 4, data.length);
        entry(b, 339, 3, sampleFormat);
        b.putInt(0);
        b.put(text);
        b.put(data);
        Files.write(file, b.array());
        return file;
    }

    private static void entry(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }
}
