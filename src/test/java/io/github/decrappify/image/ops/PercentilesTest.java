package io.github.decrappify.image.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.decrappify.image.FloatPlane;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void interpolatesBetweenOrderStatisticsLikeNumpy() {
        float[] d = new float[100];
        for (int i = 0; i < 100; i++) {
            d[99 - i] = i + 1; // 1..100, unsorted
        }
        // numpy.percentile(arange(1, 101), [1, 50, 99.8]) = [1.99, 50.5, 99.802]
        assertEquals(1.99, Percentiles.of(d, 1), 1e-6);
        assertEquals(50.5, Percentiles.of(d, 50), 1e-6);
        assertEquals(99.802, Percentiles.of(d, 99.8), 1e-5);
        assertEquals(100, Percentiles.of(d, 100), 0);
    }

    @Test
    void normaliseMapsPercentilesToZeroAndOne() {
        float[] d = new float[1001];
        for (int i = 0; i < d.length; i++) {
            d[i] = 3 * i + 7;
        }
        FloatPlane n = Percentiles.normalise(new FloatPlane(1001, 1, d));
        // 1st percentile of 0..1000 is 10, 99.8th is 998 (times 3 plus 7).
        assertEquals(0, n.get(10, 0), 1e-6);
        assertEquals(1, n.get(998, 0), 1e-6);
        assertEquals(-10.0 / 988, n.get(0, 0), 1e-6);
    }
}
