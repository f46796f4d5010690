package io.github.decrappify.image;

/**
 * What the numbers in an image file are, and how {@link ImageStackSource#readPlane} turns ImageJ's
 * raw value into the stored number. ImageJ holds 8- and 16-bit pixels unsigned: it shifts signed
 * 16-bit integers by +32768 (with a calibration function that undoes it for display) and reads
 * signed 8-bit and unsigned 32-bit integers as if they had the other signedness. Planes give the
 * file's numbers; types whose values do not fit 8/16-bit unsigned are reported as 32-bit (float), so
 * an output "of the same type" keeps them.
 */
public enum SampleType {
    UINT8("8-bit unsigned integers", 8),
    INT8("8-bit signed integers", 32),
    UINT16("16-bit unsigned integers", 16),
    INT16("16-bit signed integers", 32),
    UINT32("32-bit unsigned integers", 32),
    INT32("32-bit signed integers", 32),
    FLOAT32("32-bit floats", 32);

    private static final double TWO_TO_32 = 4294967296.0;

    private final String description;
    private final int bitDepth;

    SampleType(String description, int bitDepth) {
        this.description = description;
        this.bitDepth = bitDepth;
    }

    /** The pixel type of a source with this sample type: 8 or 16 (unsigned) or 32 (float). */
    public int bitDepth() {
        return bitDepth;
    }

    /** E.g. "16-bit signed integers". */
    public String describe() {
        return description;
    }

    /** True when planes hold other numbers than ImageJ's raw pixel values (a signedness fix). */
    public boolean converted() {
        return this == INT8 || this == INT16 || this == UINT32;
    }

    /** The type of a source that gives ImageJ's values unchanged. */
    public static SampleType ofBitDepth(int bitDepth) {
        return switch (bitDepth) {
            case 8 -> UINT8;
            case 16 -> UINT16;
            case 32 -> FLOAT32;
            default -> throw new IllegalArgumentException("bit depth must be 8, 16 or 32, not " + bitDepth);
        };
    }

    /** The stored number for ImageJ's raw value {@code raw} (as {@code ImageProcessor.getf} gives it). */
    public float value(float raw) {
        return switch (this) {
            case INT8 -> raw >= 128 ? raw - 256 : raw;
            case INT16 -> raw - 32768;
            case UINT32 -> raw < 0 ? (float) (raw + TWO_TO_32) : raw;
            default -> raw;
        };
    }
}
