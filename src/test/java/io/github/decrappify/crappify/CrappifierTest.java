package io.github.decrappify.crappify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrappifierTest {

    private static FloatPlane flat(int w, int h, float v) {
        float[] d = new float[w * h];
        Arrays.fill(d, v);
        return new FloatPlane(w, h, d);
    }

    private static FloatPlane randomImage(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat();
        }
        return new FloatPlane(w, h, d);
    }

    private static double[] meanVar(FloatPlane p) {
        double s = 0;
        double s2 = 0;
        for (float f : p.data()) {
            s += f;
            s2 += (double) f * f;
        }
        int n = p.data().length;
        double m = s / n;
        return new double[] {m, s2 / n - m * m};
    }

    private static CrappifierParams noiseOnly(int scale, double peak, double sigma) {
        return new CrappifierParams(scale, 0, Range.of(peak), Range.of(sigma), DownsampleMode.AREA, false);
    }

    @Test
    void sameSeedSameOutputOtherSeedOtherOutput() {
        Crappifier c = new Crappifier(Presets.fluo(4));
        FloatPlane hr = randomImage(64, 48, 1);
        FloatPlane a = c.apply(hr, new Random(42));
        FloatPlane b = c.apply(hr, new Random(42));
        FloatPlane other = c.apply(hr, new Random(43));
        assertEquals(a, b);
        assertNotEquals(a, other);
    }

    @Test
    void outputIsHrOverScaleRoundedDown() {
        FloatPlane hr = randomImage(101, 90, 2);
        for (DownsampleMode m : DownsampleMode.values()) {
            CrappifierParams p = new CrappifierParams(4, 1, Range.of(50), Range.of(0.01), m, true);
            FloatPlane lr = new Crappifier(p).apply(hr, new Random(1));
            assertEquals(25, lr.width());
            assertEquals(22, lr.height());
        }
        FloatPlane same = new Crappifier(Presets.em(1)).apply(hr, new Random(1));
        assertEquals(101, same.width());
        assertEquals(90, same.height());
    }

    @Test
    void areaDownsamplingOfARampSamplesItAtBlockCentres() {
        float[] d = new float[32 * 32];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                d[y * 32 + x] = 0.01f * x + 0.02f * y;
            }
        }
        FloatPlane lr = new Crappifier(noiseOnly(4, Double.POSITIVE_INFINITY, 0)).degrade(new FloatPlane(32, 32, d));
        // LR pixel (i, j) covers HR 4i..4i+3: centre 4i + 1.5.
        assertEquals(0.01 * 5.5 + 0.02 * 9.5, lr.get(1, 2), 1e-6);
    }

    @Test
    void shotNoiseVarianceIsMeanOverPeak() {
        FloatPlane lr = new Crappifier(noiseOnly(2, 20, 0)).apply(flat(512, 512, 0.5f), new Random(5));
        double[] mv = meanVar(lr);
        assertEquals(0.5, mv[0], 0.005);
        assertEquals(0.5 / 20, mv[1], 0.03 * 0.5 / 20);
        // Values are whole photon counts divided by the peak.
        for (float f : lr.data()) {
            assertEquals(Math.rint(f * 20), f * 20, 1e-4);
        }
    }

    @Test
    void readNoiseVarianceIsSigmaSquared() {
        FloatPlane lr = new Crappifier(noiseOnly(1, Double.POSITIVE_INFINITY, 0.05)).apply(flat(256, 256, 0.3f),
                new Random(6));
        double[] mv = meanVar(lr);
        assertEquals(0.3, mv[0], 0.002);
        assertEquals(0.0025, mv[1], 0.03 * 0.0025);
    }

    @Test
    void shotAndReadNoiseVariancesAdd() {
        // Peak 200 exercises the normal approximation (mean 60 -> exact, 0.7*200 = 140 -> normal).
        for (float level : new float[] {0.3f, 0.7f}) {
            FloatPlane lr = new Crappifier(noiseOnly(1, 200, 0.02)).apply(flat(256, 256, level), new Random(7));
            double expected = level / 200.0 + 0.02 * 0.02;
            assertEquals(expected, meanVar(lr)[1], 0.03 * expected, "level " + level);
            assertEquals(level, meanVar(lr)[0], 0.002);
        }
    }

    @Test
    void areaDownsamplingBeforeNoiseKeepsPerPixelNoiseIndependentOfScale() {
        // The detector counts photons per LR pixel: noise is added after integration, so the LR variance
        // is mean/peak whatever the scale.
        for (int s : new int[] {1, 4}) {
            FloatPlane lr = new Crappifier(noiseOnly(s, 50, 0)).apply(flat(512, 512, 0.4f), new Random(8));
            assertEquals(0.4 / 50, meanVar(lr)[1], 0.05 * 0.4 / 50, "scale " + s);
        }
    }

    @Test
    void clippingKeepsValuesInUnitRange() {
        CrappifierParams p = new CrappifierParams(1, 0, Range.of(5), Range.of(0.2), DownsampleMode.AREA, true);
        FloatPlane lr = new Crappifier(p).apply(flat(64, 64, 0.05f), new Random(9));
        for (float f : lr.data()) {
            assertTrue(f >= 0 && f <= 1);
        }
    }

    @Test
    void blurSpreadsAnEdgeBeforeDownsampling() {
        float[] d = new float[64 * 8];
        for (int y = 0; y < 8; y++) {
            for (int x = 32; x < 64; x++) {
                d[y * 64 + x] = 1;
            }
        }
        FloatPlane hr = new FloatPlane(64, 8, d);
        FloatPlane sharp = new Crappifier(noiseOnly(1, Double.POSITIVE_INFINITY, 0)).degrade(hr);
        FloatPlane blurred = new Crappifier(noiseOnly(1, Double.POSITIVE_INFINITY, 0).withBlurSigma(2)).degrade(hr);
        assertEquals(0, sharp.get(31, 4), 0);
        // Sampled Gaussian (sigma 2, radius 6) mass at offsets 1..6: sum g(i) / sum g = 0.400162.
        assertEquals(0.400162, blurred.get(31, 4), 1e-5);
    }

    @Test
    void levelSamplingIsLogUniformForPeakAndUniformForSigma() {
        CrappifierParams p = new CrappifierParams(1, 0, new Range(10, 1000), new Range(0.0, 0.1), DownsampleMode.AREA, true);
        Random r = new Random(10);
        int n = 20000;
        int below100 = 0;
        int below31 = 0;
        double sigmaSum = 0;
        for (int i = 0; i < n; i++) {
            NoiseLevel l = p.sampleLevel(r);
            assertTrue(l.peak() >= 10 && l.peak() <= 1000);
            below100 += l.peak() < 100 ? 1 : 0;
            below31 += l.peak() < Math.sqrt(1000) ? 1 : 0;
            sigmaSum += l.gaussianSigma();
        }
        assertEquals(0.5, below100 / (double) n, 0.015);
        assertEquals(0.25, below31 / (double) n, 0.015);
        assertEquals(0.05, sigmaSum / n, 0.001);
        assertEquals(100, p.typicalLevel().peak(), 1e-9);
        assertEquals(0.05, p.typicalLevel().gaussianSigma(), 1e-12);
    }

    @Test
    void fixedLevelMakesTheOutputIndependentOfTheRanges() {
        CrappifierParams p = Presets.em(4);
        NoiseLevel level = new NoiseLevel(40, 0.01);
        FloatPlane hr = randomImage(64, 64, 11);
        FloatPlane viaParams = new Crappifier(p.withLevel(level)).apply(hr, new Random(3));
        FloatPlane viaLevel = new Crappifier(p).apply(hr, level, new Random(3));
        assertEquals(viaParams, viaLevel);
    }
}
