package io.github.decrappify.crappify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NoiseFitTest {

    /** Smooth structure spanning most of [0, 1]: curvature far below the noise, so the fit sees only noise. */
    static FloatPlane smooth(int n, double phase) {
        float[] d = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                d[y * n + x] = (float) (0.5 + 0.45 * Math.sin(2 * Math.PI * x / 160 + phase) * Math.cos(2 * Math.PI * y / 120));
            }
        }
        return new FloatPlane(n, n, d);
    }

    private static List<FloatPlane> noisy(double peak, double sigma, int count) {
        Crappifier c = new Crappifier(new CrappifierParams(1, 0, Range.of(peak), Range.of(sigma), DownsampleMode.AREA, false));
        List<FloatPlane> out = new ArrayList<>();
        Random r = new Random(12);
        for (int i = 0; i < count; i++) {
            out.add(c.apply(smooth(256, i), r));
        }
        return out;
    }

    @Test
    void recoversKnownPoissonGaussianParameters() {
        double[][] cases = {{100, 0.05}, {30, 0.01}, {500, 0.03}};
        for (double[] c : cases) {
            double a = 1 / c[0];
            double b = c[1] * c[1];
            NoiseFit.Result fit = NoiseFit.fitNormalised(noisy(c[0], c[1], 4));
            assertEquals(a, fit.a(), 0.15 * a, "a for " + c[0] + ", " + c[1]);
            // b is small next to a*mean in the shot-noise-dominated case; judge it on the variance scale.
            assertEquals(b, fit.b(), Math.max(0.15 * b, 0.02 * a), "b for " + c[0] + ", " + c[1]);
            assertEquals(c[0], fit.peak(), 0.2 * c[0]);
        }
    }

    @Test
    void pureReadNoiseGivesNoShotNoise() {
        NoiseFit.Result fit = NoiseFit.fitNormalised(noisy(Double.POSITIVE_INFINITY, 0.04, 2));
        assertTrue(fit.a() < 0.0001, "a = " + fit.a());
        assertEquals(0.04, fit.gaussianSigma(), 0.04 * 0.05);
    }

    @Test
    void percentileNormalisationRescalesTheLine() {
        // Raw counts: 1000 photons at full scale plus an offset of 100 and read noise 20 counts.
        List<FloatPlane> raw = new ArrayList<>();
        Random r = new Random(13);
        for (int i = 0; i < 4; i++) {
            FloatPlane s = smooth(256, i);
            float[] d = new float[s.data().length];
            for (int k = 0; k < d.length; k++) {
                d[k] = (float) (100 + PoissonSampler.sample(1000 * s.data()[k], r) + 20 * r.nextGaussian());
            }
            raw.add(new FloatPlane(256, 256, d));
        }
        // In counts var = mean - 100 + 400; normalised x' = (x - lo) / (hi - lo):
        // var' = x' / (hi - lo) + (lo - 100 + 400) / (hi - lo)^2.
        double lo = 0;
        double hi = 0;
        for (FloatPlane p : raw) {
            double[] q = io.github.decrappify.image.ops.Percentiles.range(p.data(), 1, 99.8);
            lo += q[0] / raw.size();
            hi += q[1] / raw.size();
        }
        NoiseFit.Result fit = NoiseFit.fit(raw);
        double a = 1 / (hi - lo);
        double b = (lo - 100 + 400) / ((hi - lo) * (hi - lo));
        assertEquals(a, fit.a(), 0.15 * a);
        assertEquals(b, fit.b(), 0.15 * b);
    }
}
