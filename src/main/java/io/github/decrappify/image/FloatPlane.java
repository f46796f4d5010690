package io.github.decrappify.image;

import java.util.Arrays;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

/**
 * One 2D plane of 32-bit floats, row-major ({@code data[y * width + x]}), optionally with several
 * interleaved channels ({@code data[(y * width + x) * channels + c]}, the NHWC order TensorFlow uses).
 *
 * <p>The array is shared, not copied: {@link #toImg()} wraps it as an ImgLib2 image for views.
 */
public record FloatPlane(int width, int height, int channels, float[] data) {

    public FloatPlane {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("plane size must be positive: " + width + "x" + height + "x" + channels);
        }
        if (data.length != (long) width * height * channels) {
            throw new IllegalArgumentException("data length " + data.length + " != " + width + "*" + height + "*" + channels);
        }
    }

    /** A single-channel plane. */
    public FloatPlane(int width, int height, float[] data) {
        this(width, height, 1, data);
    }

    /** A zero-filled plane. */
    public static FloatPlane zeros(int width, int height, int channels) {
        long n = (long) width * height * channels; // int arithmetic wrapped (negative or too small arrays)
        if (width <= 0 || height <= 0 || channels <= 0 || n > ImageJStackSource.MAX_PLANE_PIXELS) {
            throw new IllegalArgumentException("a plane of " + width + "x" + height + "x" + channels
                    + " values cannot be held in one array (at most " + ImageJStackSource.MAX_PLANE_PIXELS + ")");
        }
        return new FloatPlane(width, height, channels, new float[(int) n]);
    }

    public float get(int x, int y) {
        return data[(y * width + x) * channels];
    }

    public float get(int x, int y, int c) {
        return data[(y * width + x) * channels + c];
    }

    public void set(int x, int y, float v) {
        data[(y * width + x) * channels] = v;
    }

    public void set(int x, int y, int c, float v) {
        data[(y * width + x) * channels + c] = v;
    }

    /** Pixel count per channel. */
    public int area() {
        return width * height;
    }

    public FloatPlane copy() {
        return new FloatPlane(width, height, channels, data.clone());
    }

    /** Wraps a single-channel plane as an ImgLib2 image (no copy; X then Y). */
    public ArrayImg<FloatType, FloatArray> toImg() {
        if (channels != 1) {
            return ArrayImgs.floats(data, channels, width, height);
        }
        return ArrayImgs.floats(data, width, height);
    }

    /** Channel {@code c} as a single-channel plane (copy). */
    public FloatPlane channel(int c) {
        if (channels == 1) {
            return this;
        }
        float[] out = new float[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i * channels + c];
        }
        return new FloatPlane(width, height, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatPlane p && p.width == width && p.height == height && p.channels == channels
                && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatPlane[" + width + "x" + height + "x" + channels + "]";
    }
}
