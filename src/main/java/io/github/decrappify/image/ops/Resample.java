package io.github.decrappify.image.ops;

import io.github.decrappify.image.FloatPlane;

/**
 * Resizing of single-channel planes.
 *
 * <p>Geometry: pixel centres are aligned as in TensorFlow's {@code half_pixel_centers=True} (and
 * OpenCV/PIL): output pixel {@code x} samples the input at {@code (x + 0.5) * inW / outW - 0.5}, so an
 * upsampled image covers exactly the same field of view as its source. Taps outside the image are
 * clamped to the edge pixel. Interpolating kernels do not low-pass filter: to shrink an image use
 * {@link #areaDown} (or blur first), otherwise high frequencies alias.
 */
public final class Resample {

    private Resample() {
    }

    /** Bicubic upsampling by an integer factor (Keys kernel, a = -0.5). */
    public static FloatPlane bicubic(FloatPlane src, int factor) {
        requirePositive(factor);
        return bicubic(src, src.width() * factor, src.height() * factor);
    }

    /**
     * Bicubic resize to an arbitrary size with the Keys (1981) kernel, a = -0.5: reproduces constant,
     * linear and quadratic signals exactly away from the edges, and is the kernel TensorFlow and
     * OpenCV use, so a model's bicubic skip connection and our baseline agree.
     */
    public static FloatPlane bicubic(FloatPlane src, int width, int height) {
        return separable(src, width, height, Kernel.CUBIC);
    }

    /** Bilinear resize (no antialiasing: each output pixel reads the 2x2 nearest input pixels). */
    public static FloatPlane bilinear(FloatPlane src, int width, int height) {
        return separable(src, width, height, Kernel.LINEAR);
    }

    /** Nearest-neighbour resize: output pixel reads the input pixel containing its centre. */
    public static FloatPlane nearest(FloatPlane src, int width, int height) {
        return separable(src, width, height, Kernel.NEAREST);
    }

    /**
     * Box (area) downsampling: each output pixel is the mean of a {@code factor x factor} block, as a
     * detector with bigger pixels would integrate. Output size is {@code floor(W/factor) x
     * floor(H/factor)}; trailing rows and columns that do not fill a block are dropped.
     */
    public static FloatPlane areaDown(FloatPlane src, int factor) {
        requireSingleChannel(src);
        requirePositive(factor);
        int ow = src.width() / factor;
        int oh = src.height() / factor;
        if (ow == 0 || oh == 0) {
            throw new IllegalArgumentException(src + " is smaller than one " + factor + "x" + factor + " block");
        }
        float[] in = src.data();
        int w = src.width();
        double[] acc = new double[ow];
        float[] out = new float[ow * oh];
        float norm = 1f / (factor * factor);
        for (int oy = 0; oy < oh; oy++) {
            java.util.Arrays.fill(acc, 0);
            for (int dy = 0; dy < factor; dy++) {
                int row = (oy * factor + dy) * w;
                for (int ox = 0; ox < ow; ox++) {
                    int base = row + ox * factor;
                    double s = 0;
                    for (int dx = 0; dx < factor; dx++) {
                        s += in[base + dx];
                    }
                    acc[ox] += s;
                }
            }
            for (int ox = 0; ox < ow; ox++) {
                out[oy * ow + ox] = (float) acc[ox] * norm;
            }
        }
        return new FloatPlane(ow, oh, out);
    }

    private enum Kernel {
        NEAREST(1), LINEAR(2), CUBIC(4);

        final int taps;

        Kernel(int taps) {
            this.taps = taps;
        }
    }

    /** Per output coordinate: the input indices (already clamped) and their weights. */
    private record Taps(int taps, int[] index, float[] weight) {
    }

    private static Taps taps(int inSize, int outSize, Kernel kernel) {
        int t = kernel.taps;
        int[] index = new int[outSize * t];
        float[] weight = new float[outSize * t];
        double ratio = (double) inSize / outSize;
        for (int o = 0; o < outSize; o++) {
            double s = (o + 0.5) * ratio - 0.5;
            switch (kernel) {
                case NEAREST -> {
                    index[o] = clamp((int) Math.floor((o + 0.5) * ratio), inSize);
                    weight[o] = 1f;
                }
                case LINEAR -> {
                    int i0 = (int) Math.floor(s);
                    double f = s - i0;
                    index[2 * o] = clamp(i0, inSize);
                    index[2 * o + 1] = clamp(i0 + 1, inSize);
                    weight[2 * o] = (float) (1 - f);
                    weight[2 * o + 1] = (float) f;
                }
                case CUBIC -> {
                    int i0 = (int) Math.floor(s);
                    double f = s - i0;
                    for (int k = 0; k < 4; k++) {
                        index[4 * o + k] = clamp(i0 - 1 + k, inSize);
                        weight[4 * o + k] = (float) keys(f - (k - 1));
                    }
                }
            }
        }
        return new Taps(t, index, weight);
    }

    /** Keys cubic convolution kernel with a = -0.5 (shared with the forward model of registration). */
    public static double keys(double x) {
        final double a = -0.5;
        double ax = Math.abs(x);
        if (ax <= 1) {
            return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
        }
        if (ax < 2) {
            return ((a * ax - 5 * a) * ax + 8 * a) * ax - 4 * a;
        }
        return 0;
    }

    private static FloatPlane separable(FloatPlane src, int width, int height, Kernel kernel) {
        requireSingleChannel(src);
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
        }
        int w = src.width();
        int h = src.height();
        Taps tx = taps(w, width, kernel);
        Taps ty = taps(h, height, kernel);
        float[] in = src.data();
        // Horizontal pass first: the intermediate is h x width.
        float[] mid = new float[h * width];
        int t = tx.taps();
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int orow = y * width;
            for (int x = 0; x < width; x++) {
                float s = 0;
                for (int k = 0; k < t; k++) {
                    s += tx.weight()[x * t + k] * in[row + tx.index()[x * t + k]];
                }
                mid[orow + x] = s;
            }
        }
        // Vertical pass as weighted sums of whole rows: sequential memory access.
        float[] out = new float[width * height];
        int u = ty.taps();
        for (int y = 0; y < height; y++) {
            int orow = y * width;
            for (int k = 0; k < u; k++) {
                float wk = ty.weight()[y * u + k];
                if (wk == 0) {
                    continue;
                }
                int irow = ty.index()[y * u + k] * width;
                for (int x = 0; x < width; x++) {
                    out[orow + x] += wk * mid[irow + x];
                }
            }
        }
        return new FloatPlane(width, height, out);
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }

    private static void requirePositive(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be >= 1: " + factor);
        }
    }

    static void requireSingleChannel(FloatPlane p) {
        if (p.channels() != 1) {
            throw new IllegalArgumentException("expected a single-channel plane, got " + p);
        }
    }
}
