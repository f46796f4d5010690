package io.github.decrappify.metrics;

import io.github.decrappify.image.FloatPlane;

/**
 * Structural similarity (Wang, Bovik, Sheikh, Simoncelli, IEEE TIP 2004) as in the authors' reference
 * {@code ssim_index.m}: local statistics under an 11x11 Gaussian window (sigma 1.5, normalised),
 * population (not sample) covariances, {@code C1 = (0.01 R)^2}, {@code C2 = (0.03 R)^2}, and only
 * positions where the window fits inside the image ("valid": the map is 10 px smaller in each
 * dimension). No automatic downsampling of large images (the later {@code ssim.m} does that).
 * Equals scikit-image's {@code structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=R)}.
 */
public final class Ssim {

    public static final double SIGMA = 1.5;
    public static final int RADIUS = 5;
    public static final double K1 = 0.01;
    public static final double K2 = 0.03;

    private Ssim() {
    }

    /** Mean SSIM over the valid map; 1 only for identical images. */
    public static double mean(FloatPlane truth, FloatPlane test, double dataRange) {
        float[] m = map(truth, test, dataRange).data();
        double s = 0;
        for (float f : m) {
            s += f;
        }
        return s / m.length;
    }

    /** The SSIM map, {@code (W - 10) x (H - 10)}; pixel (x, y) belongs to window centre (x + 5, y + 5). */
    public static FloatPlane map(FloatPlane truth, FloatPlane test, double dataRange) {
        Planes.requireComparable(truth, test);
        Planes.requireRange(dataRange);
        int w = truth.width();
        int h = truth.height();
        int d = 2 * RADIUS;
        if (w <= d || h <= d) {
            throw new IllegalArgumentException("SSIM needs images larger than 11x11: " + truth);
        }
        double[] k = window();
        double[] a = toDouble(truth.data());
        double[] b = toDouble(test.data());
        double[] aa = new double[a.length];
        double[] bb = new double[a.length];
        double[] ab = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            aa[i] = a[i] * a[i];
            bb[i] = b[i] * b[i];
            ab[i] = a[i] * b[i];
        }
        double[] ma = valid(a, w, h, k);
        double[] mb = valid(b, w, h, k);
        double[] maa = valid(aa, w, h, k);
        double[] mbb = valid(bb, w, h, k);
        double[] mab = valid(ab, w, h, k);
        double c1 = (K1 * dataRange) * (K1 * dataRange);
        double c2 = (K2 * dataRange) * (K2 * dataRange);
        float[] out = new float[ma.length];
        for (int i = 0; i < out.length; i++) {
            double mua = ma[i];
            double mub = mb[i];
            double va = maa[i] - mua * mua;
            double vb = mbb[i] - mub * mub;
            double cov = mab[i] - mua * mub;
            out[i] = (float) ((2 * mua * mub + c1) * (2 * cov + c2) / ((mua * mua + mub * mub + c1) * (va + vb + c2)));
        }
        return new FloatPlane(w - d, h - d, out);
    }

    /** Separable correlation with {@code k}, keeping only outputs whose window lies inside the image. */
    private static double[] valid(double[] src, int w, int h, double[] k) {
        int n = k.length;
        int ow = w - n + 1;
        int oh = h - n + 1;
        double[] mid = new double[ow * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                int base = y * w + x;
                for (int j = 0; j < n; j++) {
                    s += k[j] * src[base + j];
                }
                mid[y * ow + x] = s;
            }
        }
        double[] out = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int j = 0; j < n; j++) {
                double kj = k[j];
                int row = (y + j) * ow;
                for (int x = 0; x < ow; x++) {
                    out[y * ow + x] += kj * mid[row + x];
                }
            }
        }
        return out;
    }

    /** The 1D factor of the window, in double so that a flat image has exactly zero local variance. */
    private static double[] window() {
        double[] k = new double[2 * RADIUS + 1];
        double sum = 0;
        for (int i = -RADIUS; i <= RADIUS; i++) {
            k[i + RADIUS] = Math.exp(-0.5 * i * i / (SIGMA * SIGMA));
            sum += k[i + RADIUS];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
