package io.github.decrappify.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrcTest {

    private static FloatPlane gaussianNoise(int w, int h, double sigma, Random r) {
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (sigma * r.nextGaussian());
        }
        return new FloatPlane(w, h, d);
    }

    private static FloatPlane plus(FloatPlane a, FloatPlane b) {
        float[] d = new float[a.data().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.data()[i] + b.data()[i];
        }
        return new FloatPlane(a.width(), a.height(), d);
    }

    @Test
    void identicalImagesCorrelateFullyAtEveryFrequency() {
        FloatPlane a = gaussianNoise(100, 120, 1, new Random(1)); // non-square, non power of two
        FrcCurve c = Frc.compute(a, a.copy());
        assertEquals(50, c.correlation().length);
        assertEquals(0.01, c.frequency()[0], 1e-12);
        assertEquals(0.5, c.frequency()[49], 1e-12);
        for (double v : c.correlation()) {
            assertEquals(1, v, 1e-9);
        }
        FrcCurve.Resolution r = c.resolution(FrcCurve.Threshold.ONE_SEVENTH);
        assertFalse(r.crossed());
        assertEquals(2, r.pixels(), 1e-12);
    }

    @Test
    void independentNoiseDoesNotCorrelate() {
        Random r = new Random(2);
        FrcCurve c = Frc.compute(gaussianNoise(256, 256, 1, r), gaussianNoise(256, 256, 1, r));
        assertTrue(Math.abs(c.meanCorrelation()) < 0.1, "mean " + c.meanCorrelation());
        // Rings of n coefficients fluctuate by ~1/sqrt(n): 4 sigma bound outside the first rings.
        for (int i = 4; i < c.correlation().length; i++) {
            assertTrue(Math.abs(c.correlation()[i]) < 4 / Math.sqrt(c.pixels()[i]), "ring " + i);
        }
    }

    @Test
    void noisyCopiesOfABandLimitedImageCrossOneSeventhWhereSnrIsOneSixth() {
        // Signal: white noise (variance 1) blurred with sigma s, power spectrum exp(-4 pi^2 s^2 f^2) per
        // coefficient; noise variance v per image. FRC = S / (S + N) = 1/7 at S/N = 1/6:
        // f* = sqrt(ln(6 / v) / (4 pi^2 s^2)).
        Random r = new Random(3);
        int n = 512;
        double s = 2;
        double v = 0.172;
        FloatPlane signal = Filters.gaussian(gaussianNoise(n, n, 1, r), s);
        FloatPlane a = plus(signal, gaussianNoise(n, n, Math.sqrt(v), r));
        FloatPlane b = plus(signal, gaussianNoise(n, n, Math.sqrt(v), r));
        double expected = Math.sqrt(Math.log(6 / v) / (4 * Math.PI * Math.PI * s * s));
        FrcCurve.Resolution res = Frc.compute(a, b).smoothed(4).resolution(FrcCurve.Threshold.ONE_SEVENTH);
        assertTrue(res.crossed());
        assertEquals(expected, res.frequency(), 0.005, "expected f* = " + expected);
        assertEquals(1 / res.frequency() * 4.0, res.inUnits(4.0), 1e-12);
        // The half-bit threshold is above 1/7 here (rings of ~1500 coefficients: 0.1716 + ...), so it is reached first.
        double halfBit = Frc.compute(a, b).smoothed(4).resolution(FrcCurve.Threshold.HALF_BIT).frequency();
        assertTrue(halfBit < res.frequency(), halfBit + " vs " + res.frequency());
    }

    @Test
    void halfBitThresholdLimits() {
        // One coefficient: (0.2071 + 1.9102) / (1.2071 + 0.9102) = 1; many: 0.2071 / 1.2071 = 0.1716.
        assertEquals(1, FrcCurve.Threshold.HALF_BIT.at(1), 1e-12);
        assertEquals(0.2071 / 1.2071, FrcCurve.Threshold.HALF_BIT.at(100_000_000), 1e-3);
        assertEquals(1.0 / 7, FrcCurve.Threshold.ONE_SEVENTH.at(10), 0);
    }

    @Test
    void crossingIsInterpolatedBetweenRings() {
        FrcCurve c = new FrcCurve(new double[] {0.1, 0.2, 0.3}, new double[] {0.9, 0.3, 0.0}, new int[] {10, 20, 30});
        // 1/7 is crossed between 0.2 (0.3) and 0.3 (0.0): 0.2 + 0.1 * (0.3 - 1/7) / 0.3.
        double f = 0.2 + 0.1 * (0.3 - 1.0 / 7) / 0.3;
        assertEquals(f, c.resolution(FrcCurve.Threshold.ONE_SEVENTH).frequency(), 1e-12);
        assertEquals(1 / f, c.resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels(), 1e-9);
        assertEquals(0.4, c.smoothed(1).correlation()[1], 1e-12);
    }
    /**
     * Planes beyond {@link Frc#MAX_SIDE} (4096) a side are scored on their central square of that side,
     * so the transforms stay within 512 MiB whatever the plane (issue 13, same pattern: a 20000x20000
     * plane allocated 12 GiB of transforms). Shown here with a bound of 64 to keep the test quick.
     */
    @Test
    void aLargePlaneIsScoredOnItsCentralSquareOfBoundedSide() {
        int side = 64;
        int w = side + 105;
        int h = side + 30;
        Random r = new Random(7);
        FloatPlane signal = gaussianNoise(w, h, 1, r);
        FloatPlane a = plus(signal, gaussianNoise(w, h, 1, r));
        FloatPlane b = plus(signal, gaussianNoise(w, h, 1, r));
        FrcCurve bounded = Frc.compute(a, b, side);
        assertEquals(side / 2, bounded.correlation().length, "rings of a 64 square");
        FrcCurve centre = Frc.compute(crop(a, 52, 15, side), crop(b, 52, 15, side));
        for (int i = 0; i < bounded.correlation().length; i++) {
            assertEquals(centre.correlation()[i], bounded.correlation()[i], 0, "ring " + i);
            assertEquals(centre.frequency()[i], bounded.frequency()[i], 0);
        }
        // Signal variance 1, noise 1 in each: FRC = 1/2 at every frequency.
        assertEquals(0.5, bounded.meanCorrelation(), 0.05);
        assertEquals(h / 2, Frc.compute(a, b).correlation().length, "within the bound: the whole central square");
        assertEquals(4096, Frc.MAX_SIDE);
    }

    private static FloatPlane crop(FloatPlane p, int x0, int y0, int n) {
        float[] d = new float[n * n];
        for (int y = 0; y < n; y++) {
            System.arraycopy(p.data(), (y0 + y) * p.width() + x0, d, y * n, n);
        }
        return new FloatPlane(n, n, d);
    }
}
