package io.github.decrappify.crappify;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import io.github.decrappify.image.ops.Percentiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Estimates the Poisson-Gaussian noise of real LR images, {@code var(x) = a * mean(x) + b} (Foi et al.,
 * "Practical Poissonian-Gaussian noise modeling and fitting for single-image raw-data", IEEE TIP 2008),
 * in the normalised units the crappifier works in, so that a preset can be matched to a microscope:
 * {@code peak = 1 / a}, {@code gaussianSigma = sqrt(b)}.
 *
 * <p>Method. Each image is normalised (percentiles 1..99.8 to [0, 1], as for training). Per interior
 * pixel, the local mean is the 3x3 mean {@code m} and the noise sample the residual {@code r = x - m};
 * for white noise {@code var(r) = 8/9 var(x)} and {@code r} is uncorrelated with {@code m}, and the
 * symmetric 3x3 mean cancels linear intensity ramps, so smooth structure does not leak into {@code r}.
 * Pixels are binned by {@code m}; each bin's variance is estimated robustly (residuals beyond 4 MAD-sigmas,
 * mostly edges, are discarded); bins touching clipped values (the image's extreme values in the 3x3
 * neighbourhood for more than 1 % of the bin) are left out because clipping shrinks variance. The line
 * is fitted by iteratively reweighted least squares, constrained to {@code a, b >= 0}: weights are the
 * inverse variance of each bin's estimate ({@code var^2 (2 / n + 0.05^2)}: sampling error plus a 5 %
 * model-error floor) times Huber weights.
 *
 * <p>Limits: fine texture at the scale of 3 px (EM membranes, vesicles) counts as noise, so on strongly
 * textured images the fit is an upper bound; fit on flat-ish regions or several images.
 */
public final class NoiseFit {

    /** Number of equal-width intensity bins over [0, 1]. */
    public static final int BINS = 32;
    /** Bins with fewer pixels are ignored. */
    public static final int MIN_COUNT = 200;

    private static final double MAX_CLIPPED_FRACTION = 0.01;
    /** var(r) = GAIN var(x) for r = x minus its 3x3 mean: (8/9)^2 + 8 (1/9)^2. */
    private static final double GAIN = 8.0 / 9.0;
    /**
     * Relative error floor of a bin's variance, for model misfit (real detectors are only roughly
     * Poisson-Gaussian): without it, the darkest bins, often holding most pixels, decide the line alone.
     */
    private static final double MODEL_ERROR = 0.05;
    /** Variance of a standard normal truncated to |z| < 4 (keeps the robust estimate unbiased). */
    private static final double TRUNCATED_VARIANCE = 0.998929;

    private NoiseFit() {
    }

    /** Mean intensity and noise variance of one bin; {@code used} = entered the line fit. */
    public record Bin(double mean, double variance, int count, boolean used) {
    }

    /**
     * The fitted line {@code var = a * mean + b} (normalised units) and the bins it came from.
     */
    public record Result(double a, double b, List<Bin> bins) {

        /** Photon count at intensity 1.0; infinite when no shot noise was found. */
        public double peak() {
            return a > 0 ? 1.0 / a : Double.POSITIVE_INFINITY;
        }

        public double gaussianSigma() {
            return Math.sqrt(b);
        }

        public double variance(double mean) {
            return a * mean + b;
        }

        public NoiseLevel level() {
            return new NoiseLevel(peak(), gaussianSigma());
        }

        /** {@code base} with its noise fixed at this fit (scale, blur and downsampling kept). */
        public CrappifierParams applyTo(CrappifierParams base) {
            return base.withLevel(level());
        }
    }

    /** Fits images as acquired: each is percentile-normalised first (1..99.8 to [0, 1]). */
    public static Result fit(List<FloatPlane> images) {
        List<FloatPlane> normalised = new ArrayList<>(images.size());
        for (FloatPlane p : images) {
            normalised.add(Percentiles.normalise(p));
        }
        return fitNormalised(normalised);
    }

    /** Fits images that are already in the crappifier's normalised units. */
    public static Result fitNormalised(List<FloatPlane> images) {
        FloatList[] residuals = new FloatList[BINS];
        double[] meanSum = new double[BINS];
        int[] clipped = new int[BINS];
        for (int i = 0; i < BINS; i++) {
            residuals[i] = new FloatList();
        }
        for (FloatPlane p : images) {
            accumulate(p, residuals, meanSum, clipped);
        }
        List<Bin> bins = new ArrayList<>();
        for (int i = 0; i < BINS; i++) {
            int n = residuals[i].size;
            if (n == 0) {
                continue;
            }
            boolean used = n >= MIN_COUNT && clipped[i] <= MAX_CLIPPED_FRACTION * n;
            bins.add(new Bin(meanSum[i] / n, robustVariance(residuals[i]) / GAIN, n, used));
        }
        return fitLine(bins);
    }

    /**
     * Fits {@code var = a mean + b} to the bins marked {@code used} (IRLS, Huber, {@code a, b >= 0}).
     * Public so that directly measured noise (e.g. raw minus a many-frame average) can be fitted the same way.
     */
    public static Result fitLine(List<Bin> bins) {
        List<Bin> used = bins.stream().filter(Bin::used).toList();
        if (used.size() < 2) {
            throw new IllegalArgumentException("too few usable intensity bins (" + used.size()
                    + "): need more pixels or a wider intensity range");
        }
        int k = used.size();
        double[] x = new double[k];
        double[] v = new double[k];
        double[] n = new double[k];
        double[] fit = new double[k];
        double[] robust = new double[k];
        for (int i = 0; i < k; i++) {
            x[i] = used.get(i).mean();
            v[i] = used.get(i).variance();
            n[i] = used.get(i).count();
            fit[i] = Math.max(v[i], 1e-12);
            robust[i] = 1;
        }
        double[] ab = {0, 0};
        for (int iter = 0; iter < 30; iter++) {
            double[] w = new double[k];
            for (int i = 0; i < k; i++) {
                w[i] = robust[i] / (fit[i] * fit[i] * (2 / n[i] + MODEL_ERROR * MODEL_ERROR));
            }
            ab = constrainedWls(x, v, w);
            double[] z = new double[k];
            for (int i = 0; i < k; i++) {
                fit[i] = Math.max(ab[0] * x[i] + ab[1], 1e-12);
                z[i] = (v[i] - fit[i]) / (fit[i] * Math.sqrt(2 / n[i] + MODEL_ERROR * MODEL_ERROR));
            }
            // Scale-free Huber: standardise z by its MAD so that outlying bins, not all bins, lose weight.
            double s = 1.4826 * median(abs(z));
            for (int i = 0; i < k; i++) {
                double u = s > 0 ? Math.abs(z[i]) / s : 0;
                robust[i] = u <= 1.345 ? 1 : 1.345 / u;
            }
        }
        return new Result(ab[0], ab[1], List.copyOf(bins));
    }

    private static void accumulate(FloatPlane p, FloatList[] residuals, double[] meanSum, int[] clipped) {
        if (p.channels() != 1) {
            throw new IllegalArgumentException("noise fit needs single-channel planes, got " + p);
        }
        int w = p.width();
        int h = p.height();
        float[] x = p.data();
        float[] m = Filters.boxMean(p, 1).data();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float f : x) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        for (int yy = 1; yy < h - 1; yy++) {
            for (int xx = 1; xx < w - 1; xx++) {
                int i = yy * w + xx;
                double mean = m[i];
                if (!(mean >= 0 && mean < 1)) {
                    continue;
                }
                int b = (int) (mean * BINS);
                residuals[b].add(x[i] - m[i]);
                meanSum[b] += mean;
                if (touches(x, w, i, lo, hi)) {
                    clipped[b]++;
                }
            }
        }
    }

    private static boolean touches(float[] x, int w, int i, float lo, float hi) {
        for (int dy = -w; dy <= w; dy += w) {
            for (int dx = -1; dx <= 1; dx++) {
                float v = x[i + dy + dx];
                if (v == lo || v == hi) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Variance after discarding values beyond 4 MAD-sigmas of the median (edges, hot pixels). */
    static double robustVariance(FloatList r) {
        float[] a = Arrays.copyOf(r.data, r.size);
        double med = median(toDouble(a));
        double[] dev = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            dev[i] = Math.abs(a[i] - med);
        }
        double sigma = 1.4826 * median(dev);
        double limit = sigma > 0 ? 4 * sigma : Double.POSITIVE_INFINITY;
        double sum = 0;
        double sum2 = 0;
        int n = 0;
        for (float f : a) {
            if (Math.abs(f - med) <= limit) {
                sum += f;
                sum2 += (double) f * f;
                n++;
            }
        }
        double mean = sum / n;
        double var = (sum2 - n * mean * mean) / Math.max(1, n - 1);
        return sigma > 0 ? var / TRUNCATED_VARIANCE : var;
    }

    /** Weighted least squares for {@code v = a x + b}, then projected onto {@code a, b >= 0}. */
    private static double[] constrainedWls(double[] x, double[] v, double[] w) {
        double sw = 0, sx = 0, sv = 0, sxx = 0, sxv = 0;
        for (int i = 0; i < x.length; i++) {
            sw += w[i];
            sx += w[i] * x[i];
            sv += w[i] * v[i];
            sxx += w[i] * x[i] * x[i];
            sxv += w[i] * x[i] * v[i];
        }
        double det = sw * sxx - sx * sx;
        double a = det > 0 ? (sw * sxv - sx * sv) / det : 0;
        double b = det > 0 ? (sxx * sv - sx * sxv) / det : sv / sw;
        if (a < 0) {
            return new double[] {0, Math.max(0, sv / sw)};
        }
        if (b < 0) {
            return new double[] {Math.max(0, sxv / sxx), 0};
        }
        return new double[] {a, b};
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double[] abs(double[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = Math.abs(a[i]);
        }
        return d;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /** Growable float array: bins of millions of residuals without boxing. */
    static final class FloatList {
        float[] data = new float[1024];
        int size;

        void add(float f) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = f;
        }
    }
}
