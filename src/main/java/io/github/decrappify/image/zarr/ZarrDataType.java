package io.github.decrappify.image.zarr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Numeric Zarr v2 data types ({@code dtype} in {@code .zarray}, NumPy's array-interface strings such
 * as {@code "<u2"} or {@code "|u1"}), converted to and from float.
 *
 * <p>Reading accepts signed and unsigned integers of 1, 2 and 4 bytes and floats of 4 and 8 bytes in
 * either byte order. Writing is done as {@code |u1}, {@code <u2} or {@code <f4}, the types a restored
 * image can have; integers are rounded and clamped to their range as the TIFF writer does.
 */
public enum ZarrDataType {
    UINT8('u', 1), INT8('i', 1), UINT16('u', 2), INT16('i', 2), UINT32('u', 4), INT32('i', 4), FLOAT32('f', 4),
    FLOAT64('f', 8);

    private final char kind;
    private final int bytes;

    ZarrDataType(char kind, int bytes) {
        this.kind = kind;
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** 8, 16 or 32 as ImageJ would hold the values (32 = float for everything wider or signed). */
    public int bitDepth() {
        return switch (this) {
            case UINT8 -> 8;
            case UINT16 -> 16;
            default -> 32;
        };
    }

    /** The type a writer uses for an ImageJ bit depth (8, 16 or 32). */
    public static ZarrDataType forBitDepth(int bitDepth) {
        return switch (bitDepth) {
            case 8 -> UINT8;
            case 16 -> UINT16;
            case 32 -> FLOAT32;
            default -> throw new IllegalArgumentException("bit depth must be 8, 16 or 32: " + bitDepth);
        };
    }

    /** The {@code dtype} string, little-endian for multi-byte types. */
    public String dtype() {
        return (bytes == 1 ? "|" : "<") + kind + bytes;
    }

    /** A parsed dtype: the type and its byte order. */
    public record Parsed(ZarrDataType type, ByteOrder order) {
    }

    /**
     * @throws IllegalArgumentException for structured, string, complex, boolean, 64-bit integer and
     *         other types a grayscale image cannot hold
     */
    public static Parsed parse(String dtype) {
        if (dtype == null || dtype.length() < 3) {
            throw new IllegalArgumentException("unsupported Zarr dtype " + dtype);
        }
        char endian = dtype.charAt(0);
        ByteOrder order = switch (endian) {
            case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            default -> throw new IllegalArgumentException("unsupported Zarr dtype " + dtype);
        };
        String rest = dtype.substring(1).toLowerCase(Locale.ROOT);
        for (ZarrDataType t : values()) {
            if (rest.equals("" + t.kind + t.bytes)) {
                return new Parsed(t, order);
            }
        }
        throw new IllegalArgumentException("unsupported Zarr dtype " + dtype
                + " (supported: u1, i1, u2, i2, u4, i4, f4, f8)");
    }

    /** Reads element {@code i} of a buffer (its byte order already set) as float. */
    float get(ByteBuffer b, int i) {
        return switch (this) {
            case UINT8 -> b.get(i) & 0xff;
            case INT8 -> b.get(i);
            case UINT16 -> b.getShort(2 * i) & 0xffff;
            case INT16 -> b.getShort(2 * i);
            case UINT32 -> (float) (b.getInt(4 * i) & 0xffffffffL);
            case INT32 -> (float) b.getInt(4 * i);
            case FLOAT32 -> b.getFloat(4 * i);
            case FLOAT64 -> (float) b.getDouble(8 * i);
        };
    }

    /** Writes {@code v} as element {@code i}; integers are rounded and clamped, NaN becomes 0. */
    void put(ByteBuffer b, int i, float v) {
        switch (this) {
            case UINT8 -> b.put(i, (byte) clampRound(v, 0, 255));
            case INT8 -> b.put(i, (byte) clampRound(v, -128, 127));
            case UINT16 -> b.putShort(2 * i, (short) clampRound(v, 0, 65535));
            case INT16 -> b.putShort(2 * i, (short) clampRound(v, -32768, 32767));
            case UINT32 -> b.putInt(4 * i, (int) clampRoundLong(v, 0, 0xffffffffL));
            case INT32 -> b.putInt(4 * i, (int) clampRoundLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case FLOAT32 -> b.putFloat(4 * i, v);
            case FLOAT64 -> b.putDouble(8 * i, v);
        }
    }

    private static int clampRound(float v, int min, int max) {
        if (!(v > min)) {
            return Float.isNaN(v) ? 0 : min;
        }
        return v >= max ? max : Math.round(v);
    }

    private static long clampRoundLong(float v, long min, long max) {
        if (!(v > min)) {
            return Float.isNaN(v) ? 0 : min;
        }
        return v >= max ? max : Math.round((double) v);
    }
}
