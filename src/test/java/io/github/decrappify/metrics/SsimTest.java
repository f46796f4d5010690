package io.github.decrappify.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SsimTest {

    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;

    private static FloatPlane constant(double v) {
        float[] d = new float[32 * 32];
        Arrays.fill(d, (float) v);
        return new FloatPlane(32, 32, d);
    }

    private static FloatPlane checker(int n, double mean, double amp) {
        float[] d = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                d[y * n + x] = (float) (mean + ((x + y) % 2 == 0 ? amp : -amp));
            }
        }
        return new FloatPlane(n, n, d);
    }

    @Test
    void identicalImagesScoreOne() {
        FloatPlane a = PsnrNrmseTest.random(40, 30, 1);
        assertEquals(1, Ssim.mean(a, a.copy(), 1), 1e-6);
        FloatPlane m = Ssim.map(a, a, 1);
        assertEquals(30, m.width());
        assertEquals(20, m.height());
    }

    @Test
    void constantImagesOnlyCompareLuminance() {
        // Zero variance: contrast-structure term is C2 / C2 = 1, SSIM = (2 mu1 mu2 + C1) / (mu1^2 + mu2^2 + C1).
        assertEquals((2 * 0.4 * 0.5 + C1) / (0.16 + 0.25 + C1), Ssim.mean(constant(0.4), constant(0.5), 1), 1e-6);
        assertEquals((2 * 0.4 * 0.6 + C1) / (0.16 + 0.36 + C1), Ssim.mean(constant(0.4), constant(0.6), 1), 1e-6);
    }

    @Test
    void shiftAndScaleOfACheckerboardMatchTheFormula() {
        // A 1-px checkerboard has (to ~1e-9) the same local mean and variance under every window.
        FloatPlane a = checker(40, 0.5, 0.2);
        FloatPlane shifted = checker(40, 0.6, 0.2);
        double lShift = (2 * 0.5 * 0.6 + C1) / (0.25 + 0.36 + C1);
        assertEquals(lShift, Ssim.mean(a, shifted, 1), 1e-6);
        FloatPlane scaled = checker(40, 0.75, 0.3); // 1.5 a
        double l = (2 * 0.5 * 0.75 + C1) / (0.25 + 0.5625 + C1);
        double cs = (2 * 1.5 * 0.04 + C2) / ((1 + 2.25) * 0.04 + C2);
        assertEquals(l * cs, Ssim.mean(a, scaled, 1), 1e-6);
        // Data range enters only through C1, C2: the same images in 8-bit units score the same.
        assertEquals(l * cs, Ssim.mean(PsnrNrmseTest.map(a, v -> 255 * v), PsnrNrmseTest.map(scaled, v -> 255 * v), 255),
                1e-5);
    }

    @Test
    void aShiftedImageScoresBelowOne() {
        FloatPlane a = Filters.gaussian(PsnrNrmseTest.random(48, 48, 2), 1.5);
        float[] d = new float[48 * 48];
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                d[y * 48 + x] = a.get(Math.max(0, x - 1), y);
            }
        }
        double s = Ssim.mean(a, new FloatPlane(48, 48, d), 1);
        assertTrue(s < 0.99 && s > 0, "ssim " + s);
    }

    @Test
    void matchesASlowDirectImplementation() {
        FloatPlane a = PsnrNrmseTest.random(37, 29, 3);
        FloatPlane b = PsnrNrmseTest.map(PsnrNrmseTest.random(37, 29, 4), v -> 0.3 * v);
        FloatPlane smoothA = Filters.gaussian(a, 1);
        FloatPlane b2 = new FloatPlane(37, 29, new float[37 * 29]);
        for (int i = 0; i < b2.data().length; i++) {
            b2.data()[i] = smoothA.data()[i] + b.data()[i];
        }
        assertEquals(slowMeanSsim(smoothA, b2, 2), Ssim.mean(smoothA, b2, 2), 1e-6);
        assertEquals(slowMeanSsim(a, b, 1), Ssim.mean(a, b, 1), 1e-6);
    }

    /** Non-separable 11x11 window, two-pass (centred) moments, straight from the paper's definitions. */
    private static double slowMeanSsim(FloatPlane x, FloatPlane y, double range) {
        double[][] w = new double[11][11];
        double norm = 0;
        for (int j = 0; j < 11; j++) {
            for (int i = 0; i < 11; i++) {
                w[j][i] = Math.exp(-((i - 5) * (i - 5) + (j - 5) * (j - 5)) / (2 * 1.5 * 1.5));
                norm += w[j][i];
            }
        }
        double c1 = Math.pow(0.01 * range, 2);
        double c2 = Math.pow(0.03 * range, 2);
        double total = 0;
        int count = 0;
        for (int cy = 5; cy < x.height() - 5; cy++) {
            for (int cx = 5; cx < x.width() - 5; cx++) {
                double mx = 0;
                double my = 0;
                for (int j = 0; j < 11; j++) {
                    for (int i = 0; i < 11; i++) {
                        mx += w[j][i] / norm * x.get(cx + i - 5, cy + j - 5);
                        my += w[j][i] / norm * y.get(cx + i - 5, cy + j - 5);
                    }
                }
                double vx = 0;
                double vy = 0;
                double cxy = 0;
                for (int j = 0; j < 11; j++) {
                    for (int i = 0; i < 11; i++) {
                        double dx = x.get(cx + i - 5, cy + j - 5) - mx;
                        double dy = y.get(cx + i - 5, cy + j - 5) - my;
                        vx += w[j][i] / norm * dx * dx;
                        vy += w[j][i] / norm * dy * dy;
                        cxy += w[j][i] / norm * dx * dy;
                    }
                }
                total += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                count++;
            }
        }
        return total / count;
    }
}
