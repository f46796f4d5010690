package io.github.decrappify.image.ops;

/**
 * In-place discrete Fourier transform of complex data held as separate real and imaginary arrays.
 * Forward: {@code X[k] = sum_n x[n] exp(-2 pi i k n / N)}, unnormalised; inverse divides by N.
 * Any length works: powers of two use iterative radix-2, other lengths Bluestein's chirp-z algorithm
 * (O(N log N) too), so images need not be padded.
 */
public final class Fft {

    private Fft() {
    }

    public static void forward(double[] re, double[] im) {
        transform(re, im, false);
    }

    public static void inverse(double[] re, double[] im) {
        transform(re, im, true);
        int n = re.length;
        for (int i = 0; i < n; i++) {
            re[i] /= n;
            im[i] /= n;
        }
    }

    /** Forward 2D transform of a row-major {@code width x height} array (rows, then columns). */
    public static void forward2d(double[] re, double[] im, int width, int height) {
        if (re.length != width * height || im.length != re.length) {
            throw new IllegalArgumentException("arrays do not match " + width + "x" + height);
        }
        double[] r = new double[width];
        double[] i = new double[width];
        for (int y = 0; y < height; y++) {
            System.arraycopy(re, y * width, r, 0, width);
            System.arraycopy(im, y * width, i, 0, width);
            transform(r, i, false);
            System.arraycopy(r, 0, re, y * width, width);
            System.arraycopy(i, 0, im, y * width, width);
        }
        double[] cr = new double[height];
        double[] ci = new double[height];
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                cr[y] = re[y * width + x];
                ci[y] = im[y * width + x];
            }
            transform(cr, ci, false);
            for (int y = 0; y < height; y++) {
                re[y * width + x] = cr[y];
                im[y * width + x] = ci[y];
            }
        }
    }

    private static void transform(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        if (im.length != n) {
            throw new IllegalArgumentException("real and imaginary parts differ in length");
        }
        if (n <= 1) {
            return;
        }
        if (Integer.bitCount(n) == 1) {
            radix2(re, im, inverse);
        } else {
            bluestein(re, im, inverse);
        }
    }

    private static void radix2(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= n; len <<= 1) {
            double ang = sign * 2 * Math.PI / len;
            int half = len / 2;
            // Twiddles computed directly rather than by recurrence: recurrence error grows with n.
            double[] wr = new double[half];
            double[] wi = new double[half];
            for (int k = 0; k < half; k++) {
                wr[k] = Math.cos(ang * k);
                wi[k] = Math.sin(ang * k);
            }
            for (int s = 0; s < n; s += len) {
                for (int k = 0; k < half; k++) {
                    int a = s + k;
                    int b = a + half;
                    double xr = re[b] * wr[k] - im[b] * wi[k];
                    double xi = re[b] * wi[k] + im[b] * wr[k];
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    /** Chirp-z: x[n] w[n] convolved with conj(w), w[n] = exp(-i pi n^2 / N), via power-of-two FFTs. */
    private static void bluestein(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        int m = Integer.highestOneBit(2 * n - 1) << 1;
        double sign = inverse ? 1 : -1;
        double[] cr = new double[n];
        double[] ci = new double[n];
        for (int k = 0; k < n; k++) {
            // k^2 mod 2n keeps the angle argument small and exact.
            long k2 = ((long) k * k) % (2L * n);
            double ang = sign * Math.PI * k2 / n;
            cr[k] = Math.cos(ang);
            ci[k] = Math.sin(ang);
        }
        double[] ar = new double[m];
        double[] ai = new double[m];
        for (int k = 0; k < n; k++) {
            ar[k] = re[k] * cr[k] - im[k] * ci[k];
            ai[k] = re[k] * ci[k] + im[k] * cr[k];
        }
        double[] br = new double[m];
        double[] bi = new double[m];
        br[0] = cr[0];
        bi[0] = -ci[0];
        for (int k = 1; k < n; k++) {
            br[k] = br[m - k] = cr[k];
            bi[k] = bi[m - k] = -ci[k];
        }
        radix2(ar, ai, false);
        radix2(br, bi, false);
        for (int k = 0; k < m; k++) {
            double r = ar[k] * br[k] - ai[k] * bi[k];
            ai[k] = ar[k] * bi[k] + ai[k] * br[k];
            ar[k] = r;
        }
        radix2(ar, ai, true);
        for (int k = 0; k < n; k++) {
            double r = ar[k] / m;
            double i = ai[k] / m;
            re[k] = r * cr[k] - i * ci[k];
            im[k] = r * ci[k] + i * cr[k];
        }
    }
}
