package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Fft;
import io.github.decrappify.metrics.Psnr;
import io.github.decrappify.net.Params;
import java.util.List;
import java.util.Locale;

/**
 * How much of the noisy pixel a blind-spot (Noise2Void) denoiser should put back into its output, and
 * that share folded into the network.
 *
 * <p>A blind-spot network predicts each pixel from its neighbours only, so it throws away what the pixel
 * says about itself; any smoothing filter keeps some of it (a Gaussian of σ = 1 px weighs its centre
 * 0.16). With {@code f} the network's output and {@code y = s + n} the noisy input (noise of variance σ²,
 * independent of {@code f}'s error {@code e}), the blend {@code (1 − w)·f + w·y} has expected squared
 * error {@code (1 − w)²·E[e²] + w²·σ²}, least at {@code w = E[e²] / (E[e²] + σ²)}. Neither term is known
 * without a clean image, but {@code M = E[(y − f)²] = E[e²] + σ²} is, so {@code w = 1 − σ²/M}. σ² comes
 * from the noisy image alone: a microscope's optics leave no signal near the sampling limit, while
 * pixel-independent noise has a flat spectrum, so the mean power beyond {@link #OUTER_BAND} cycles/pixel
 * is σ² (on FMD confocal frames within 1 % of the variance measured from pairs of frames).
 *
 * <p>Invariants: {@code 0 ≤ weight ≤ MAX}; an image with signal at the sampling limit or a perfect network
 * only lowers the estimate (σ² looks larger than it is, or {@code M} is σ²), i.e. it errs towards the plain
 * blind-spot output. Noise correlated between neighbours (resampled images) makes σ² look smaller; the
 * cap bounds the damage. The network's output is {@code x + head(x)} (the global residual), so scaling
 * the head's kernel and bias by {@code 1 − w} gives exactly {@code (1 − w)·f + w·x}: the bundle stays
 * an ordinary model.
 */
public final class CentreWeight {

    /** Frequencies beyond this radius (cycles/pixel; the sampling limit is 0.5) are taken as noise only. */
    public static final double OUTER_BAND = 0.4;

    /** Largest share put back: beyond it a wrong noise estimate costs more than the blend can gain. */
    public static final double MAX = 0.5;

    /** Planes are measured on their central square of at most this side (the transform is in memory). */
    public static final int MAX_SIDE = 1024;

    /**
     * The estimate over a set of planes: the weight, the noise variance and the mean square {@code M}; {@code planes}
     * 0 for a weight given by the user (the two measures are NaN then).
     */
    public record Estimate(double weight, double noiseVariance, double meanSquare, int planes) {

        /** A weight the user chose. */
        public static Estimate given(double weight) {
            return new Estimate(weight, Double.NaN, Double.NaN, 0);
        }

        @Override
        public String toString() {
            if (planes == 0) {
                return String.format(Locale.ROOT, "%.3f (given)", weight);
            }
            return String.format(Locale.ROOT, "%.3f (noise variance %.3g from the spectrum beyond %.1f cycles/px,"
                    + " output-input mean square %.3g, %d planes)", weight, noiseVariance, OUTER_BAND, meanSquare, planes);
        }
    }

    private CentreWeight() {
    }

    /**
     * Variance of pixel-independent noise in a plane: the mean power {@code |X(k)|²/N} of its (mean-removed)
     * spectrum at radii beyond {@link #OUTER_BAND}, leaving out the two axis lines, where the edges of a
     * non-periodic image leak power. Single-channel planes; at least 8×8 pixels.
     */
    public static double noiseVariance(FloatPlane plane) {
        FloatPlane p = centralSquare(plane);
        int w = p.width();
        int h = p.height();
        if (w < 8 || h < 8) {
            throw new IllegalArgumentException("need at least 8x8 pixels to measure noise, got " + w + "x" + h);
        }
        double mean = 0;
        for (float v : p.data()) {
            mean += v;
        }
        mean /= p.area();
        // No taper: noise is brighter where the signal is, and a taper would weigh the image's centre only.
        // The edges of a non-periodic image leak mostly onto the axis lines, left out below; what they leak
        // elsewhere only raises the estimate, i.e. lowers the weight.
        double[] re = new double[p.area()];
        double[] im = new double[p.area()];
        for (int i = 0; i < re.length; i++) {
            re[i] = p.data()[i] - mean;
        }
        Fft.forward2d(re, im, w, h);
        double sum = 0;
        long count = 0;
        for (int ky = 1; ky < h; ky++) {
            double fy = (ky <= h / 2 ? ky : ky - h) / (double) h;
            for (int kx = 1; kx < w; kx++) {
                double fx = (kx <= w / 2 ? kx : kx - w) / (double) w;
                if (fx * fx + fy * fy > OUTER_BAND * OUTER_BAND) {
                    int i = ky * w + kx;
                    sum += re[i] * re[i] + im[i] * im[i];
                    count++;
                }
            }
        }
        return sum / count / p.area();
    }

    /** {@code 1 − σ²/M}, clamped to {@code [0, MAX]}; 0 when {@code M} is not positive. */
    public static double weight(double noiseVariance, double meanSquare) {
        if (!(meanSquare > 0) || !Double.isFinite(noiseVariance)) {
            return 0;
        }
        return Math.max(0, Math.min(MAX, 1 - noiseVariance / meanSquare));
    }

    /**
     * The weight for noisy planes and the network's outputs on them (same sizes, single channel): σ² and
     * {@code M} are pooled over the planes' central squares, each pixel counting once.
     */
    public static Estimate estimate(List<FloatPlane> noisy, List<FloatPlane> restored) {
        if (noisy.isEmpty() || noisy.size() != restored.size()) {
            throw new IllegalArgumentException("need one restored plane per noisy plane, got " + noisy.size() + " and "
                    + restored.size());
        }
        double noise = 0;
        double square = 0;
        long pixels = 0;
        for (int i = 0; i < noisy.size(); i++) {
            FloatPlane y = centralSquare(noisy.get(i));
            FloatPlane f = centralSquare(restored.get(i));
            if (y.width() != f.width() || y.height() != f.height()) {
                throw new IllegalArgumentException("plane " + i + ": restored " + restored.get(i).width() + "x"
                        + restored.get(i).height() + " does not match noisy " + noisy.get(i).width() + "x"
                        + noisy.get(i).height());
            }
            noise += noiseVariance(y) * y.area();
            square += Psnr.meanSquaredError(y, f) * y.area();
            pixels += y.area();
        }
        double sigma2 = noise / pixels;
        double m = square / pixels;
        return new Estimate(weight(sigma2, m), sigma2, m, noisy.size());
    }

    /**
     * The weights of the blended network {@code (1 − w)·f + w·x}: a copy with the head's kernel and bias
     * ({@code head/w}, {@code head/b}) scaled by {@code 1 − w}. Only for x1 networks with the global residual.
     */
    public static Params fold(Params weights, double w) {
        if (!(w >= 0 && w < 1)) {
            throw new IllegalArgumentException("the centre weight must be in [0, 1), got " + w);
        }
        if (weights.get("head/w") == null || weights.get("head/b") == null) {
            throw new IllegalArgumentException("the network has no head/w and head/b to scale");
        }
        Params out = new Params();
        for (var e : weights.asMap().entrySet()) {
            Params.Tensor t = e.getValue();
            if (e.getKey().equals("head/w") || e.getKey().equals("head/b")) {
                float[] v = t.data().clone();
                for (int i = 0; i < v.length; i++) {
                    v[i] *= (float) (1 - w);
                }
                t = new Params.Tensor(t.shape().clone(), v);
            }
            out.put(e.getKey(), t);
        }
        return out;
    }

    private static FloatPlane centralSquare(FloatPlane p) {
        if (p.channels() != 1) {
            throw new IllegalArgumentException("single-channel planes only, got " + p.channels() + " channels");
        }
        int w = Math.min(p.width(), MAX_SIDE);
        int h = Math.min(p.height(), MAX_SIDE);
        if (w == p.width() && h == p.height()) {
            return p;
        }
        return Crops.centre(p, w, h);
    }
}
