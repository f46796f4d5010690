package io.github.decrappify.metrics;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Fft;

/**
 * Fourier ring correlation of two images of the same object (Saxton and Baumeister 1982; van Heel and
 * Schatz, J Struct Biol 2005):
 * {@code FRC(r) = Re sum F1 F2* / sqrt(sum |F1|^2 sum |F2|^2)} over the ring of radius {@code r}.
 * Two independent noisy acquisitions give the resolution of the data; a prediction against the truth
 * gives the finest scale at which the prediction still follows the truth.
 *
 * <p>Preparation: the central square of side {@code min(W, H)} is used (rings need isotropic frequency
 * sampling), each image's mean is subtracted (otherwise the window's own spectrum, identical in both,
 * correlates at low frequency) and a Tukey window (cosine taper over {@link #TAPER} of each side) removes
 * the edge discontinuities that the periodic DFT would turn into a spurious correlated cross. Any size
 * works (no padding, see {@link Fft}). The square is at most {@link #MAX_SIDE} a side: the transforms
 * hold 32 bytes a pixel (512 MiB at that size), so a larger plane is scored on its central
 * {@code MAX_SIDE x MAX_SIDE} instead of allocating without bound (a 20000x20000 plane would need 12 GiB).
 * Rings are 1 frequency-pixel wide: ring {@code r} holds the
 * coefficients with {@code round(|k|) = r}, frequency {@code r / N} cycles per pixel, up to Nyquist
 * ({@code r = N/2}); the DC ring is omitted.
 *
 * <pre>{@code
 * FrcCurve c = Frc.compute(acq1, acq2);
 * double px = c.resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels();
 * double nm = c.resolution(FrcCurve.Threshold.HALF_BIT).inUnits(4.0);   // 4 nm pixels
 * }</pre>
 */
public final class Frc {

    /** Fraction of each side tapered by the Tukey window (half at each end). */
    public static final double TAPER = 0.25;

    /** Side of the largest central square used: rings up to 2048, a frequency step of 1/4096 cycles per pixel. */
    public static final int MAX_SIDE = 4096;

    private Frc() {
    }

    public static FrcCurve compute(FloatPlane a, FloatPlane b) {
        return compute(a, b, MAX_SIDE);
    }

    /** Over the central square of side {@code min(W, H, maxSide)}. */
    static FrcCurve compute(FloatPlane a, FloatPlane b, int maxSide) {
        Planes.requireComparable(a, b);
        int n = Math.min(maxSide, Math.min(a.width(), a.height()));
        if (n < 8) {
            throw new IllegalArgumentException("FRC needs at least 8x8 pixels: " + a);
        }
        double[] window = tukey(n, TAPER);
        double[] ar = prepare(a, n, window);
        double[] br = prepare(b, n, window);
        double[] ai = new double[n * n];
        double[] bi = new double[n * n];
        Fft.forward2d(ar, ai, n, n);
        Fft.forward2d(br, bi, n, n);
        int rings = n / 2;
        double[] cross = new double[rings + 1];
        double[] pa = new double[rings + 1];
        double[] pb = new double[rings + 1];
        int[] count = new int[rings + 1];
        for (int y = 0; y < n; y++) {
            int fy = y <= n / 2 ? y : y - n;
            for (int x = 0; x < n; x++) {
                int fx = x <= n / 2 ? x : x - n;
                int r = (int) Math.round(Math.sqrt((double) fx * fx + (double) fy * fy));
                if (r > rings) {
                    continue;
                }
                int i = y * n + x;
                cross[r] += ar[i] * br[i] + ai[i] * bi[i];
                pa[r] += ar[i] * ar[i] + ai[i] * ai[i];
                pb[r] += br[i] * br[i] + bi[i] * bi[i];
                count[r]++;
            }
        }
        double[] freq = new double[rings];
        double[] corr = new double[rings];
        int[] pixels = new int[rings];
        for (int r = 1; r <= rings; r++) {
            freq[r - 1] = (double) r / n;
            double den = Math.sqrt(pa[r] * pb[r]);
            corr[r - 1] = den > 0 ? cross[r] / den : 0;
            pixels[r - 1] = count[r];
        }
        return new FrcCurve(freq, corr, pixels);
    }

    private static double[] prepare(FloatPlane p, int n, double[] window) {
        int x0 = (p.width() - n) / 2;
        int y0 = (p.height() - n) / 2;
        double[] out = new double[n * n];
        double mean = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double v = p.get(x0 + x, y0 + y);
                out[y * n + x] = v;
                mean += v;
            }
        }
        mean /= n * n;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                out[y * n + x] = (out[y * n + x] - mean) * window[x] * window[y];
            }
        }
        return out;
    }

    /** Tukey window: 1 in the middle, raised-cosine tapers over {@code alpha / 2} of the length at each end. */
    static double[] tukey(int n, double alpha) {
        double[] w = new double[n];
        double edge = alpha * (n - 1) / 2;
        for (int i = 0; i < n; i++) {
            double d = Math.min(i, n - 1 - i);
            w[i] = d >= edge ? 1 : 0.5 * (1 - Math.cos(Math.PI * d / edge));
        }
        return w;
    }
}
