package io.github.decrappify.image;

/**
 * Dimensions and pixel type of a 5D grayscale stack: X, Y, channels (C), slices (Z), frames (T), with
 * planes stored in ImageJ's order (channel fastest, then slice, then frame).
 *
 * @param bitDepth 8 or 16 (unsigned integers) or 32 (float)
 */
public record StackShape(int width, int height, int channels, int slices, int frames, int bitDepth) {

    public StackShape {
        if (width <= 0 || height <= 0 || channels <= 0 || slices <= 0 || frames <= 0) {
            throw new IllegalArgumentException("stack dimensions must be positive: " + width + "x" + height
                    + ", c=" + channels + ", z=" + slices + ", t=" + frames);
        }
        if (bitDepth != 8 && bitDepth != 16 && bitDepth != 32) {
            throw new IllegalArgumentException("bit depth must be 8, 16 or 32, not " + bitDepth);
        }
    }

    /** C·Z·T; overflow throws rather than wrapping. */
    public int planeCount() {
        return Math.multiplyExact(Math.multiplyExact(channels, slices), frames);
    }

    /** 0-based position of plane (c, z, t) in ImageJ's czt order. */
    public int planeIndex(int c, int z, int t) {
        if (c < 0 || c >= channels || z < 0 || z >= slices || t < 0 || t >= frames) {
            throw new IndexOutOfBoundsException("plane (c=" + c + ", z=" + z + ", t=" + t + ") outside " + this);
        }
        return (t * slices + z) * channels + c;
    }

    public int bytesPerPixel() {
        return bitDepth / 8;
    }

    /** Bytes of one plane on disk. */
    public long planeBytes() {
        return (long) width * height * bytesPerPixel();
    }

    /** The same stack with X and Y multiplied by {@code scale} and another pixel type. */
    public StackShape scaled(int scale, int newBitDepth) {
        return new StackShape(Math.multiplyExact(width, scale), Math.multiplyExact(height, scale), channels, slices,
                frames, newBitDepth);
    }

    /** The same stack in 32-bit float (the uncertainty and QC maps, whatever the output type). */
    public StackShape asFloat() {
        return new StackShape(width, height, channels, slices, frames, 32);
    }
}
