package io.github.decrappify.crappify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PoissonSamplerTest {

    @Test
    void smallMeanFollowsThePoissonLaw() {
        Random r = new Random(1);
        int n = 200_000;
        int[] hist = new int[40];
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            int k = (int) PoissonSampler.sample(2.0, r);
            hist[k]++;
            s += k;
            s2 += (double) k * k;
        }
        // P(0) = e^-2, P(2) = 2 e^-2.
        assertEquals(Math.exp(-2), hist[0] / (double) n, 0.003);
        assertEquals(2 * Math.exp(-2), hist[2] / (double) n, 0.003);
        double m = s / n;
        assertEquals(2, m, 0.01);
        assertEquals(2, s2 / n - m * m, 0.03);
    }

    @Test
    void largeMeanHasPoissonMeanAndVariance() {
        Random r = new Random(2);
        int n = 200_000;
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double k = PoissonSampler.sample(500, r);
            s += k;
            s2 += k * k;
        }
        double m = s / n;
        assertEquals(500, m, 0.2);
        assertEquals(500, s2 / n - m * m, 500 * 0.015);
    }

    @Test
    void nonPositiveMeanGivesZero() {
        assertEquals(0, PoissonSampler.sample(0, new Random(1)));
        assertEquals(0, PoissonSampler.sample(-3, new Random(1)));
    }
}
