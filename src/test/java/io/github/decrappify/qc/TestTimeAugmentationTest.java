package io.github.decrappify.qc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Resample;
import io.github.decrappify.metrics.Psnr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestTimeAugmentationTest {

    static FloatPlane random(int w, int h, int channels, long seed) {
        Random r = new Random(seed);
        float[] d = new float[w * h * channels];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat();
        }
        return new FloatPlane(w, h, channels, d);
    }

    private static FloatPlane nearestUp(FloatPlane p, int s) {
        return Resample.nearest(p, p.width() * s, p.height() * s);
    }

    @Test
    void eachSymmetryIsUndoneByItsInverseAndAllEightDiffer() {
        FloatPlane p = random(7, 5, 3, 1); // non-square, three interleaved frames
        Set<FloatPlane> images = new HashSet<>();
        for (D4 g : D4.values()) {
            FloatPlane t = g.apply(p);
            assertEquals(g.swapsAxes() ? 5 : 7, t.width(), g.name());
            assertEquals(3, t.channels());
            assertEquals(p, g.invert(t), g.name());
            images.add(t);
        }
        assertEquals(8, images.size(), "the eight symmetries give eight different images");
    }

    @Test
    void symmetriesMovePixelsWhereGeometrySays() {
        // 3x2 plane, value = 10 y + x, frame 2 = value + 100 (frames must travel with their pixel).
        FloatPlane p = FloatPlane.zeros(3, 2, 2);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                p.set(x, y, 0, 10 * y + x);
                p.set(x, y, 1, 100 + 10 * y + x);
            }
        }
        FloatPlane r = D4.ROT90.apply(p); // clockwise: 2 wide, 3 high; the top-left pixel goes top-right
        assertEquals(2, r.width());
        assertEquals(3, r.height());
        assertEquals(0, r.get(1, 0, 0));
        assertEquals(100, r.get(1, 0, 1));
        assertEquals(10, r.get(0, 0, 0)); // bottom-left goes top-left
        assertEquals(2, r.get(1, 2, 0)); // top-right goes bottom-right
        FloatPlane f = D4.FLIP_X.apply(p);
        assertEquals(2, f.get(0, 0, 0));
        assertEquals(112, f.get(0, 1, 1));
        assertEquals(p, D4.ROT90.apply(D4.ROT270.apply(p)));
        assertEquals(D4.ROT180.apply(p), D4.ROT90.apply(D4.ROT90.apply(p)));
    }

    @Test
    void anEquivariantRestorationGivesItsOwnOutputAndNoSpread() {
        FloatPlane lr = random(12, 9, 1, 2);
        TestTimeAugmentation.Result r = TestTimeAugmentation.predict(lr, p -> nearestUp(p, 3));
        assertEquals(nearestUp(lr, 3), r.mean());
        for (float v : r.spread().data()) {
            assertEquals(0, v, 1e-6);
        }
    }

    @Test
    void anOrientationBiasAveragesToHalfWithSpreadHalf() {
        // The restoration adds a to the left half of whatever it is given. Back-transformed, that bias
        // lands on the left, right, top or bottom half, twice each: every pixel of a square image gets it
        // in exactly 4 of 8 passes, so mean bias a/2 and population standard deviation a/2.
        double a = 0.4;
        FloatPlane lr = random(16, 16, 1, 3);
        TestTimeAugmentation.Result r = TestTimeAugmentation.predict(lr, p -> {
            FloatPlane up = nearestUp(p, 2);
            for (int y = 0; y < up.height(); y++) {
                for (int x = 0; x < up.width() / 2; x++) {
                    up.set(x, y, (float) (up.get(x, y) + a));
                }
            }
            return up;
        });
        FloatPlane truth = nearestUp(lr, 2);
        for (int i = 0; i < truth.data().length; i++) {
            assertEquals(truth.data()[i] + a / 2, r.mean().data()[i], 1e-5);
            assertEquals(a / 2, r.spread().data()[i], 1e-5);
        }
    }

    @Test
    void independentErrorsAverageDownByTheNumberOfPasses() {
        // Each pass adds fresh noise of variance s^2: the mean keeps s^2 / 8 (PSNR + 10 log10 8 = 9.03 dB)
        // and the population spread over 8 passes has expected variance (7/8) s^2.
        double s = 0.05;
        FloatPlane lr = random(64, 64, 1, 4);
        FloatPlane truth = nearestUp(lr, 2);
        Random rng = new Random(5);
        List<Double> single = new ArrayList<>();
        TestTimeAugmentation.Result r = TestTimeAugmentation.predict(lr, p -> {
            FloatPlane up = nearestUp(p, 2);
            float[] d = up.data();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (s * rng.nextGaussian());
            }
            return up;
        }, (pass, g) -> single.add((double) pass));
        assertEquals(8, single.size());
        FloatPlane oneNoisy = nearestUp(lr, 2);
        for (int i = 0; i < oneNoisy.data().length; i++) {
            oneNoisy.data()[i] += (float) (s * rng.nextGaussian());
        }
        double gain = Psnr.of(truth, r.mean(), 1) - Psnr.of(truth, oneNoisy, 1);
        assertEquals(10 * Math.log10(8), gain, 0.15);
        double meanVar = 0;
        for (float v : r.spread().data()) {
            meanVar += v * v;
        }
        meanVar /= r.spread().data().length;
        assertEquals(7.0 / 8 * s * s, meanVar, 0.03 * s * s);
    }

    @Test
    void aRestorationThatIgnoresSymmetryIsCaught() {
        FloatPlane lr = random(8, 8, 1, 6);
        TestTimeAugmentation.Result r = TestTimeAugmentation.predict(lr, p -> nearestUp(D4.TRANSPOSE.apply(p), 1));
        assertNotEquals(0, max(r.spread().data()));
        assertArrayEquals(new int[] {8, 8}, new int[] {r.mean().width(), r.mean().height()});
        assertTrue(max(r.spread().data()) <= 1);
    }

    private static float max(float[] v) {
        float m = -Float.MAX_VALUE;
        for (float f : v) {
            m = Math.max(m, f);
        }
        return m;
    }
}
