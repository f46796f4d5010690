package io.github.decrappify.image.ops;

import io.github.decrappify.image.FloatPlane;

/**
 * Separable linear filters on single-channel planes. Edges are mirrored with the edge pixel repeated
 * ({@code ... c b a | a b c ...}, numpy "symmetric"), which keeps a flat image flat and preserves the
 * mean of smooth images; kernels longer than the image keep reflecting.
 */
public final class Filters {

    private Filters() {
    }

    /** Largest Gaussian sigma, in pixels (a kernel of 60 001 taps). */
    public static final double MAX_SIGMA = 10000;

    /**
     * Gaussian blur with standard deviation {@code sigma} (pixels), kernel radius {@code ceil(3 sigma)},
     * weights normalised to sum 1. {@code sigma == 0} returns a copy. About 20 ms for 1024x1024, sigma 2.
     */
    public static FloatPlane gaussian(FloatPlane src, double sigma) {
        if (!(sigma >= 0 && sigma <= MAX_SIGMA)) {
            // ceil(3 sigma) as an int kernel radius overflows far above this (sigma 1e9 gave "-1").
            throw new IllegalArgumentException("Gaussian sigma must be from 0 to " + (int) MAX_SIGMA + " pixels, not " + sigma);
        }
        if (sigma == 0) {
            return src.copy();
        }
        return separable(src, gaussianKernel(sigma, (int) Math.ceil(3 * sigma)));
    }

    /** Mean over the {@code (2 radius + 1)^2} neighbourhood (mirrored edges). */
    public static FloatPlane boxMean(FloatPlane src, int radius) {
        if (radius < 0) {
            throw new IllegalArgumentException("radius must be >= 0: " + radius);
        }
        float[] k = new float[2 * radius + 1];
        java.util.Arrays.fill(k, 1f / k.length);
        return separable(src, k);
    }

    /** A sampled Gaussian of the given radius, normalised to sum 1 (length {@code 2 radius + 1}). */
    public static float[] gaussianKernel(double sigma, int radius) {
        double[] g = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            g[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += g[i + radius];
        }
        float[] k = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            k[i] = (float) (g[i] / sum);
        }
        return k;
    }

    /** Convolves rows then columns with the same symmetric odd-length kernel. */
    public static FloatPlane separable(FloatPlane src, float[] kernel) {
        Resample.requireSingleChannel(src);
        if (kernel.length % 2 == 0) {
            throw new IllegalArgumentException("kernel length must be odd: " + kernel.length);
        }
        int w = src.width();
        int h = src.height();
        int r = kernel.length / 2;
        float[] in = src.data();
        float[] mid = new float[w * h];
        float[] padded = new float[w + 2 * r];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int i = 0; i < padded.length; i++) {
                padded[i] = in[row + mirror(i - r, w)];
            }
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int k = 0; k < kernel.length; k++) {
                    s += kernel[k] * padded[x + k];
                }
                mid[row + x] = s;
            }
        }
        // Columns as weighted sums of whole rows: sequential memory access instead of strided.
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int orow = y * w;
            for (int k = 0; k < kernel.length; k++) {
                float wk = kernel[k];
                int irow = mirror(y + k - r, h) * w;
                for (int x = 0; x < w; x++) {
                    out[orow + x] += wk * mid[irow + x];
                }
            }
        }
        return new FloatPlane(w, h, out);
    }

    /** Symmetric reflection of index {@code i} into {@code [0, n)}; period {@code 2n}. */
    static int mirror(int i, int n) {
        int p = 2 * n;
        int m = ((i % p) + p) % p;
        return m < n ? m : p - 1 - m;
    }
}
