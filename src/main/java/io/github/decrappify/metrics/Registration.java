package io.github.decrappify.metrics;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Fft;

/**
 * Translation between two images of the same size by phase correlation, with a parabolic sub-pixel
 * refinement of the peak. Real LR/HR pairs drift (SR-CACO-2's ×4 pair is ≈4.75 HR px apart), and a
 * few pixels of misregistration would dominate any pixel-wise score.
 */
public final class Registration {

    private Registration() {}

    /** Shift {@code (dx, dy)} such that {@code moving(x + dx, y + dy) ≈ fixed(x, y)}. */
    public record Shift(double dx, double dy) {
        public int roundedX() {
            return (int) Math.round(dx);
        }

        public int roundedY() {
            return (int) Math.round(dy);
        }
    }

    public static Shift phaseCorrelation(FloatPlane fixed, FloatPlane moving) {
        Planes.requireComparable(fixed, moving);
        int w = fixed.width();
        int h = fixed.height();
        double[] ar = window(fixed);
        double[] ai = new double[w * h];
        double[] br = window(moving);
        double[] bi = new double[w * h];
        Fft.forward2d(ar, ai, w, h);
        Fft.forward2d(br, bi, w, h);
        double[] cr = new double[w * h];
        double[] ci = new double[w * h];
        for (int i = 0; i < cr.length; i++) {
            // conj(A)·B normalised: the inverse transform peaks at the displacement of B relative to A.
            double re = ar[i] * br[i] + ai[i] * bi[i];
            double im = ar[i] * bi[i] - ai[i] * br[i];
            double mag = Math.hypot(re, im) + 1e-12;
            cr[i] = re / mag;
            ci[i] = im / mag;
        }
        inverse2d(cr, ci, w, h);
        int best = 0;
        for (int i = 1; i < cr.length; i++) {
            if (cr[i] > cr[best]) {
                best = i;
            }
        }
        int px = best % w;
        int py = best / w;
        double sx = px + parabola(cr[py * w + Math.floorMod(px - 1, w)], cr[best], cr[py * w + (px + 1) % w]);
        double sy = py + parabola(cr[Math.floorMod(py - 1, h) * w + px], cr[best], cr[((py + 1) % h) * w + px]);
        if (sx > w / 2.0) {
            sx -= w;
        }
        if (sy > h / 2.0) {
            sy -= h;
        }
        return new Shift(sx, sy);
    }

    /**
     * The overlapping parts of {@code fixed} and {@code moving} after an integer shift, as two
     * equally sized crops (a border of {@code margin} pixels dropped on every side).
     */
    public static FloatPlane[] overlap(FloatPlane fixed, FloatPlane moving, int dx, int dy, int margin) {
        int x0 = Math.max(0, -dx) + margin;
        int y0 = Math.max(0, -dy) + margin;
        int x1 = Math.min(fixed.width(), fixed.width() - dx) - margin;
        int y1 = Math.min(fixed.height(), fixed.height() - dy) - margin;
        if (x1 - x0 < 8 || y1 - y0 < 8) {
            throw new IllegalArgumentException("images overlap too little after a shift of " + dx + "," + dy);
        }
        int w = x1 - x0;
        int h = y1 - y0;
        float[] a = new float[w * h];
        float[] b = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                a[y * w + x] = fixed.get(x0 + x, y0 + y);
                b[y * w + x] = moving.get(x0 + x + dx, y0 + y + dy);
            }
        }
        return new FloatPlane[] {new FloatPlane(w, h, a), new FloatPlane(w, h, b)};
    }

    /** Least-squares {@code a·test + b} closest to {@code truth}: removes gain/offset differences of real pairs. */
    public static FloatPlane fitIntensity(FloatPlane truth, FloatPlane test) {
        Planes.requireComparable(truth, test);
        double st = 0;
        double sp = 0;
        double spp = 0;
        double stp = 0;
        int n = truth.data().length;
        for (int i = 0; i < n; i++) {
            double t = truth.data()[i];
            double p = test.data()[i];
            st += t;
            sp += p;
            spp += p * p;
            stp += t * p;
        }
        double var = spp - sp * sp / n;
        double a = var > 0 ? (stp - st * sp / n) / var : 1;
        double b = (st - a * sp) / n;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (a * test.data()[i] + b);
        }
        return new FloatPlane(test.width(), test.height(), out);
    }

    private static double parabola(double left, double centre, double right) {
        double den = left - 2 * centre + right;
        return den == 0 ? 0 : 0.5 * (left - right) / den;
    }

    /** Mean-subtracted image times a Hann window, so edges do not dominate the correlation. */
    private static double[] window(FloatPlane p) {
        int w = p.width();
        int h = p.height();
        double mean = 0;
        for (float v : p.data()) {
            mean += v;
        }
        mean /= p.data().length;
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++) {
            double wy = 0.5 - 0.5 * Math.cos(2 * Math.PI * (y + 0.5) / h);
            for (int x = 0; x < w; x++) {
                double wx = 0.5 - 0.5 * Math.cos(2 * Math.PI * (x + 0.5) / w);
                out[y * w + x] = (p.get(x, y) - mean) * wx * wy;
            }
        }
        return out;
    }

    private static void inverse2d(double[] re, double[] im, int w, int h) {
        // Inverse via conjugation: conj(FFT(conj(x))) / N.
        for (int i = 0; i < im.length; i++) {
            im[i] = -im[i];
        }
        Fft.forward2d(re, im, w, h);
        for (int i = 0; i < im.length; i++) {
            re[i] /= re.length;
            im[i] = -im[i] / re.length;
        }
    }
}
