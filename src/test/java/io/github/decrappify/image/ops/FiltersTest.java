package io.github.decrappify.image.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FiltersTest {

    @Test
    void mirrorRepeatsTheEdgePixel() {
        int[] expected = {2, 1, 0, 0, 1, 2, 3, 4, 4, 3};
        for (int i = -3; i <= 6; i++) {
            assertEquals(expected[i + 3], Filters.mirror(i, 5));
        }
        assertEquals(4, Filters.mirror(-6, 5)); // reflected twice
    }

    @Test
    void gaussianKeepsFlatImagesFlat() {
        FloatPlane p = new FloatPlane(13, 7, filled(13 * 7, 0.25f));
        for (float v : Filters.gaussian(p, 2.5).data()) {
            assertEquals(0.25f, v, 1e-6);
        }
    }

    @Test
    void gaussianOfAnImpulseHasTheTruncatedGaussianVariance() {
        int n = 41;
        FloatPlane p = FloatPlane.zeros(n, n, 1);
        p.set(20, 20, 1f);
        double sigma = 2;
        FloatPlane g = Filters.gaussian(p, sigma);
        double sum = 0;
        double m2 = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                sum += g.get(x, y);
                m2 += g.get(x, y) * (x - 20.0) * (x - 20.0);
            }
        }
        assertEquals(1, sum, 1e-5);
        // Sampled Gaussian on -6..6: sum i^2 exp(-i^2/8) / sum exp(-i^2/8) = 3.95126 (computed by hand,
        // vs sigma^2 = 4 untruncated).
        assertEquals(3.95126, m2, 1e-4);
    }

    @Test
    void separableMatchesDirect2dConvolutionIncludingRepeatedReflections() {
        Random r = new Random(3);
        int w = 6;
        int h = 5;
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat();
        }
        FloatPlane p = new FloatPlane(w, h, d);
        double sigma = 3; // radius 9 exceeds both sides
        FloatPlane fast = Filters.gaussian(p, sigma);
        int rad = 9;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                double norm = 0;
                for (int j = -rad; j <= rad; j++) {
                    for (int i = -rad; i <= rad; i++) {
                        double wt = Math.exp(-(i * i + j * j) / (2 * sigma * sigma));
                        s += wt * p.get(reflect(x + i, w), reflect(y + j, h));
                        norm += wt;
                    }
                }
                assertEquals(s / norm, fast.get(x, y), 1e-5);
            }
        }
    }

    /** Independent reflection: unfold step by step. */
    private static int reflect(int i, int n) {
        while (i < 0 || i >= n) {
            i = i < 0 ? -i - 1 : 2 * n - 1 - i;
        }
        return i;
    }

    @Test
    void boxMeanAveragesTheNeighbourhood() {
        FloatPlane p = new FloatPlane(3, 3, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertEquals(5f, Filters.boxMean(p, 1).get(1, 1), 1e-6);
        // Corner (0,0) with edge repetition: rows {1,1,2},{1,1,2},{4,4,5} -> 21/9.
        assertEquals(21f / 9, Filters.boxMean(p, 1).get(0, 0), 1e-6);
    }

    @Test
    void gaussianOn1024SquaredTakesMilliseconds() {
        FloatPlane p = new FloatPlane(1024, 1024, filled(1024 * 1024, 1f));
        Filters.gaussian(p, 2); // warm-up
        long t0 = System.nanoTime();
        Filters.gaussian(p, 2);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 500, "took " + ms + " ms");
    }

    private static float[] filled(int n, float v) {
        float[] d = new float[n];
        java.util.Arrays.fill(d, v);
        return d;
    }
}
