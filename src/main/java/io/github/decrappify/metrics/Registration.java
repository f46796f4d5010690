package io.github.decrappify.metrics;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Fft;
import io.github.decrappify.image.ops.Resample;

/**
 * Translation between two images of the same size by phase correlation, with a parabolic sub-pixel
 * refinement of the peak, and between an LR and an HR image by a forward-model fit. Real LR/HR pairs
 * drift (SR-CACO-2's ×4 pair is ≈7 HR px apart), and a few pixels of misregistration would dominate
 * any pixel-wise score.
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
     * Translation of a real LR/HR pair in HR px, in the convention of {@link #phaseCorrelation} with the
     * HR as {@code fixed} and the upsampled LR as {@code moving}: the LR pixel nominally covering HR
     * pixels {@code x .. x+scale-1} shows the HR field at {@code x - dx}. Phase correlation of the HR
     * with the bicubic-upsampled LR is biased on real pairs: its whitening weighs every frequency
     * alike, also those above the LR's Nyquist limit (in the upsampled LR only noise and the
     * interpolation lattice: two bicubic-upsampled images lock onto multiples of {@code scale}) and
     * those of empty background. On SR-CACO-2 ×4, LR columns 34:128 (a third of it empty), it gave
     * -4.07, 2.14 HR px, without the empty third -7.10, 0.09, against -7.0, 1.45 here and -7.0, 1.5 by
     * an independent least-squares fit. So phase correlation at the LR sampling (HR area-averaged)
     * only gives the coarse shift; the result is the shift whose forward model (HR shifted by cubic
     * interpolation, averaged over {@code scale × scale} blocks) is best correlated with the LR, i.e.
     * leaves the least error after an affine intensity fit, searched to 0.05 HR px.
     */
    public static Shift lrToHr(FloatPlane hr, FloatPlane lr, int scale) {
        if (scale < 1 || hr.width() != lr.width() * scale || hr.height() != lr.height() * scale) {
            throw new IllegalArgumentException("HR " + hr.width() + "x" + hr.height() + " is not " + scale
                    + " times LR " + lr.width() + "x" + lr.height());
        }
        Shift c = phaseCorrelation(scale == 1 ? hr : Resample.areaDown(hr, scale), lr);
        // Phase correlation at the LR sampling can still be off by about one LR pixel on real pairs.
        double cx = Math.round(c.dx() * scale);
        double cy = Math.round(c.dy() * scale);
        double reach = 2.0 * scale;
        ForwardModel m = ForwardModel.of(hr, lr, scale, cx - reach - 1.5, cx + reach + 1.5, cy - reach - 1.5,
                cy + reach + 1.5);
        if (m == null) {
            return new Shift(c.dx() * scale, c.dy() * scale);
        }
        double[] best = m.search(cx, cy, reach, 1.0);
        best = m.search(best[0], best[1], 1.0, 0.25);
        best = m.search(best[0], best[1], 0.25, 0.05);
        return new Shift(best[0], best[1]);
    }

    /**
     * Correlation of an LR image with the area-averaged shifted HR, over the LR pixels whose model reads
     * only HR pixels inside the image for every shift in the searched range (a fixed set, so that scores
     * of different shifts compare).
     */
    private record ForwardModel(FloatPlane hr, FloatPlane lr, int scale, int x0, int x1, int y0, int y1) {

        static ForwardModel of(FloatPlane hr, FloatPlane lr, int s, double dxMin, double dxMax, double dyMin,
                double dyMax) {
            // LR pixel i reads HR s·i - dx - 2 ... s·i + s - 1 - dx + 2 (cubic taps).
            int x0 = (int) Math.ceil((dxMax + 2) / s);
            int x1 = (int) Math.floor((hr.width() - 3 + dxMin - s + 1) / s) + 1;
            int y0 = (int) Math.ceil((dyMax + 2) / s);
            int y1 = (int) Math.floor((hr.height() - 3 + dyMin - s + 1) / s) + 1;
            x0 = Math.max(x0, 0);
            y0 = Math.max(y0, 0);
            x1 = Math.min(x1, lr.width());
            y1 = Math.min(y1, lr.height());
            return x1 - x0 < 4 || y1 - y0 < 4 ? null : new ForwardModel(hr, lr, s, x0, x1, y0, y1);
        }

        /** Best {@code {dx, dy, r}} on the grid {@code centre ± reach} with the given step. */
        double[] search(double cx, double cy, double reach, double step) {
            int n = (int) Math.round(reach / step);
            double[] best = {cx, cy, Double.NEGATIVE_INFINITY};
            for (int i = -n; i <= n; i++) {
                double dx = cx + i * step;
                double[] rows = horizontal(dx);
                for (int j = -n; j <= n; j++) {
                    double dy = cy + j * step;
                    double r = correlation(vertical(rows, dy));
                    if (r > best[2]) {
                        best = new double[] {dx, dy, r};
                    }
                }
            }
            return best;
        }

        /** Block sums along x of the HR read at {@code x - dx}: LR columns x0..x1, all HR rows. */
        double[] horizontal(double dx) {
            int w = hr.width();
            int h = hr.height();
            int n = x1 - x0;
            double[] k = kernel(-dx);
            int first = (int) Math.floor(-dx) - 1;
            double[] out = new double[n * h];
            float[] in = hr.data();
            for (int y = 0; y < h; y++) {
                int row = y * w;
                for (int i = 0; i < n; i++) {
                    int base = scale * (x0 + i) + first;
                    double sum = 0;
                    for (int t = 0; t < k.length; t++) {
                        sum += k[t] * in[row + clamp(base + t, w)];
                    }
                    out[y * n + i] = sum;
                }
            }
            return out;
        }

        /** Block sums along y of {@link #horizontal} read at {@code y - dy}: the modelled LR pixels. */
        double[] vertical(double[] rows, double dy) {
            int h = hr.height();
            int n = x1 - x0;
            double[] k = kernel(-dy);
            int first = (int) Math.floor(-dy) - 1;
            double[] out = new double[n * (y1 - y0)];
            for (int j = 0; j < y1 - y0; j++) {
                int base = scale * (y0 + j) + first;
                for (int t = 0; t < k.length; t++) {
                    int row = clamp(base + t, h) * n;
                    double kt = k[t];
                    for (int i = 0; i < n; i++) {
                        out[j * n + i] += kt * rows[row + i];
                    }
                }
            }
            return out;
        }

        /**
         * Weights of a block sum of {@code scale} cubic interpolations at offset {@code d}: HR pixel
         * {@code scale·i + floor(d) - 1 + t} gets weight {@code k[t]}.
         */
        double[] kernel(double d) {
            double f = d - Math.floor(d);
            double[] k = new double[scale + 3];
            for (int b = 0; b < scale; b++) {
                for (int t = 0; t < 4; t++) {
                    k[b + t] += Resample.keys(f - (t - 1));
                }
            }
            return k;
        }

        /** Pearson correlation with the LR: maximal where the affine-fitted model error is least. */
        double correlation(double[] model) {
            int n = x1 - x0;
            double sm = 0;
            double sl = 0;
            double smm = 0;
            double sll = 0;
            double sml = 0;
            for (int j = 0; j < y1 - y0; j++) {
                for (int i = 0; i < n; i++) {
                    double m = model[j * n + i];
                    double l = lr.get(x0 + i, y0 + j);
                    sm += m;
                    sl += l;
                    smm += m * m;
                    sll += l * l;
                    sml += m * l;
                }
            }
            int count = n * (y1 - y0);
            double vm = smm - sm * sm / count;
            double vl = sll - sl * sl / count;
            return vm > 0 && vl > 0 ? (sml - sm * sl / count) / Math.sqrt(vm * vl) : 0;
        }

        private static int clamp(int i, int n) {
            return i < 0 ? 0 : (i >= n ? n - 1 : i);
        }
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
