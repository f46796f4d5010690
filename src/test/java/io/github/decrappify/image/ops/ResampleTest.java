package io.github.decrappify.image.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.decrappify.image.FloatPlane;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResampleTest {

    interface Fn {
        double at(double x, double y);
    }

    private static FloatPlane plane(int w, int h, Fn f) {
        float[] d = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = (float) f.at(x, y);
            }
        }
        return new FloatPlane(w, h, d);
    }


    @Test
    void keysKernelInterpolatesAndIsAPartitionOfUnity() {
        assertEquals(1, Resample.keys(0), 0);
        assertEquals(0, Resample.keys(1), 0);
        assertEquals(0, Resample.keys(2), 0);
        // At x = 0.5 the Keys a=-0.5 weights are -1/16, 9/16, 9/16, -1/16.
        assertEquals(9.0 / 16, Resample.keys(0.5), 1e-12);
        assertEquals(-1.0 / 16, Resample.keys(1.5), 1e-12);
        for (double f = 0; f < 1; f += 0.1) {
            double s = Resample.keys(f + 1) + Resample.keys(f) + Resample.keys(f - 1) + Resample.keys(f - 2);
            assertEquals(1, s, 1e-12);
        }
    }

    @Test
    void bicubicKeepsConstantImagesExactly() {
        FloatPlane c = plane(7, 5, (x, y) -> 0.37);
        FloatPlane up = Resample.bicubic(c, 3);
        assertEquals(21, up.width());
        assertEquals(15, up.height());
        for (float v : up.data()) {
            assertEquals(0.37f, v, 1e-6);
        }
    }

    @Test
    void bicubicReproducesRampsAndQuadraticsAwayFromEdges() {
        int f = 4;
        Fn ramp = (x, y) -> 0.3 * x - 0.7 * y + 2;
        Fn quad = (x, y) -> 0.01 * x * x + 0.02 * y * y - 0.1 * x;
        for (Fn fn : new Fn[] {ramp, quad}) {
            FloatPlane up = Resample.bicubic(plane(16, 12, fn), f);
            for (int y = 0; y < up.height(); y++) {
                for (int x = 0; x < up.width(); x++) {
                    // Source coordinate under half-pixel-centre alignment.
                    double sx = (x + 0.5) / f - 0.5;
                    double sy = (y + 0.5) / f - 0.5;
                    if (sx >= 1 && sx <= 16 - 3 && sy >= 1 && sy <= 12 - 3) {
                        assertEquals(fn.at(sx, sy), up.get(x, y), 1e-4, "at " + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void bilinearReproducesRampsAwayFromEdges() {
        Fn ramp = (x, y) -> 0.5 * x + 0.25 * y;
        FloatPlane up = Resample.bilinear(plane(10, 10, ramp), 25, 30);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 25; x++) {
                double sx = (x + 0.5) * 10 / 25 - 0.5;
                double sy = (y + 0.5) * 10 / 30 - 0.5;
                if (sx >= 0 && sx <= 9 && sy >= 0 && sy <= 9) {
                    assertEquals(ramp.at(sx, sy), up.get(x, y), 1e-5);
                }
            }
        }
    }

    @Test
    void resizeToSameSizeIsIdentity() {
        Random r = new Random(1);
        FloatPlane p = plane(9, 6, (x, y) -> r.nextDouble());
        assertEquals(p, Resample.bicubic(p, 9, 6));
        assertEquals(p, Resample.bilinear(p, 9, 6));
        assertEquals(p, Resample.nearest(p, 9, 6));
    }

    @Test
    void areaDownAveragesBlocks() {
        // 4x2 image, factor 2: blocks {0,1,4,5} and {2,3,6,7}; a trailing odd column would be dropped.
        FloatPlane p = new FloatPlane(5, 2, new float[] {0, 1, 2, 3, 100, 4, 5, 6, 7, 100});
        FloatPlane d = Resample.areaDown(p, 2);
        assertEquals(2, d.width());
        assertEquals(1, d.height());
        assertEquals(2.5f, d.get(0, 0), 1e-6);
        assertEquals(4.5f, d.get(1, 0), 1e-6);
    }

    @Test
    void areaDownUndoesNearestAndBicubicUpsampling() {
        Random r = new Random(2);
        FloatPlane p = plane(8, 8, (x, y) -> r.nextDouble());
        FloatPlane round = Resample.areaDown(Resample.nearest(p, 24, 24), 3);
        for (int i = 0; i < p.data().length; i++) {
            assertEquals(p.data()[i], round.data()[i], 1e-6);
        }
        // For a ramp, the mean of the 4x4 bicubic sub-samples is the ramp at the block centre.
        Fn ramp = (x, y) -> 0.2 * x + 0.1 * y;
        FloatPlane back = Resample.areaDown(Resample.bicubic(plane(12, 12, ramp), 4), 4);
        for (int y = 2; y < 10; y++) {
            for (int x = 2; x < 10; x++) {
                assertEquals(ramp.at(x, y), back.get(x, y), 1e-5);
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        FloatPlane p = FloatPlane.zeros(4, 4, 1);
        assertThrows(IllegalArgumentException.class, () -> Resample.bicubic(p, 0));
        assertThrows(IllegalArgumentException.class, () -> Resample.areaDown(p, 5));
        assertThrows(IllegalArgumentException.class, () -> Resample.bicubic(FloatPlane.zeros(4, 4, 2), 2));
    }
}
