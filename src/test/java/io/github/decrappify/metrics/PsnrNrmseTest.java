package io.github.decrappify.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.decrappify.image.FloatPlane;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PsnrNrmseTest {

    static FloatPlane random(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat();
        }
        return new FloatPlane(w, h, d);
    }

    static FloatPlane map(FloatPlane p, java.util.function.DoubleUnaryOperator f) {
        float[] d = new float[p.data().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) f.applyAsDouble(p.data()[i]);
        }
        return new FloatPlane(p.width(), p.height(), d);
    }

    @Test
    void gaussianNoiseGivesTenLog10RangeSquaredOverVariance() {
        FloatPlane truth = random(256, 256, 1);
        Random r = new Random(2);
        FloatPlane noisy = map(truth, v -> v + 0.05 * r.nextGaussian());
        // 10 log10(1 / 0.0025) = 26.0206 dB; sampling error of the MSE ~0.6 % -> ~0.03 dB.
        assertEquals(26.0206, Psnr.of(truth, noisy, 1), 0.08);
        // Same images in 8-bit units with range 255: same PSNR.
        assertEquals(Psnr.of(truth, noisy, 1), Psnr.of(map(truth, v -> 255 * v), map(noisy, v -> 255 * v), 255), 1e-3);
    }

    @Test
    void uniformNoiseGivesItsVariance() {
        FloatPlane truth = random(256, 256, 3);
        Random r = new Random(4);
        FloatPlane noisy = map(truth, v -> v + 0.1 * (2 * r.nextDouble() - 1));
        // Uniform on [-0.1, 0.1]: variance 0.01 / 3 -> 24.7712 dB.
        assertEquals(10 * Math.log10(3 / 0.01), Psnr.of(truth, noisy, 1), 0.05);
    }

    @Test
    void identicalImagesHaveInfinitePsnr() {
        FloatPlane t = random(8, 8, 5);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.of(t, t.copy(), 1));
    }

    @Test
    void normalisedPsnrUsesTheTruthsPercentilesForBoth() {
        // Truth is a ramp 0..n-1: 1st percentile 0.01 (n-1), 99.8th 0.998 (n-1); an offset d then maps to
        // d / (0.988 (n-1)) in normalised units: PSNR = 20 log10(0.988 (n-1) / d).
        int n = 1001;
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        FloatPlane truth = new FloatPlane(n, 1, t);
        FloatPlane shifted = map(truth, v -> v + 5);
        assertEquals(20 * Math.log10(0.988 * 1000 / 5), Psnr.normalised(truth, shifted), 1e-4);
    }

    @Test
    void nrmseIsRmseOverTheTruthsRange() {
        float[] t = new float[101];
        for (int i = 0; i <= 100; i++) {
            t[i] = 2 + 4 * i / 100f; // spans [2, 6]
        }
        FloatPlane truth = new FloatPlane(101, 1, t);
        assertEquals(0.2 / 4, Nrmse.of(truth, map(truth, v -> v + 0.2)), 1e-6);
        assertEquals(0.2 / 10, Nrmse.of(truth, map(truth, v -> v - 0.2), 10), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Nrmse.of(new FloatPlane(2, 1, new float[] {1, 1}),
                new FloatPlane(2, 1, new float[] {1, 2})));
    }

    @Test
    void rejectsMismatchedSizesAndBadRanges() {
        assertThrows(IllegalArgumentException.class, () -> Psnr.of(random(4, 4, 1), random(4, 5, 1), 1));
        assertThrows(IllegalArgumentException.class, () -> Psnr.of(random(4, 4, 1), random(4, 4, 2), 0));
    }
}
