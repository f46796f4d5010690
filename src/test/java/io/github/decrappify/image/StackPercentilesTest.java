package io.github.decrappify.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StackPercentilesTest {

    static final double[] PS = {0, 0.1, 1, 2.5, 33.3, 50, 99, 99.8, 100};

    /** numpy.percentile(..., method="linear") by sorting everything. */
    static double sortedPercentile(float[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    static FloatPlane[] planes(int n, int w, int h, Random random, java.util.function.DoubleSupplier values) {
        FloatPlane[] planes = new FloatPlane[n];
        for (int i = 0; i < n; i++) {
            float[] d = new float[w * h];
            for (int j = 0; j < d.length; j++) {
                d[j] = (float) values.getAsDouble();
            }
            planes[i] = new FloatPlane(w, h, d);
        }
        return planes;
    }

    static float[] sortedAll(FloatPlane[] planes) {
        float[] all = new float[planes.length * planes[0].data().length];
        for (int i = 0; i < planes.length; i++) {
            System.arraycopy(planes[i].data(), 0, all, i * planes[0].data().length, planes[0].data().length);
        }
        Arrays.sort(all);
        return all;
    }

    @Test
    void floatDataAgreesWithSortingWithinABin() throws Exception {
        Random random = new Random(42);
        // Skewed data with a long tail: the high percentiles matter for normalisation.
        FloatPlane[] planes = planes(12, 101, 77, random, () -> Math.exp(2 * random.nextGaussian()) - 3);
        float[] sorted = sortedAll(planes);
        double[] got = StackPercentiles.of(planes.length, i -> planes[i], PS);
        double bin = (sorted[sorted.length - 1] - sorted[0]) / (double) StackPercentiles.FLOAT_BINS;
        for (int k = 0; k < PS.length; k++) {
            assertEquals(sortedPercentile(sorted, PS[k]), got[k], bin, "p=" + PS[k]);
        }
        assertEquals(sorted[0], got[0], 0);
        assertEquals(sorted[sorted.length - 1], got[PS.length - 1], 0);
    }

    @Test
    void eightBitIsExact() throws Exception {
        Random random = new Random(7);
        FloatPlane[] planes = planes(9, 64, 33, random, () -> random.nextInt(256));
        float[] sorted = sortedAll(planes);
        double[] got = StackPercentiles.of(planes.length, i -> planes[i], PS);
        for (int k = 0; k < PS.length; k++) {
            assertEquals(sortedPercentile(sorted, PS[k]), got[k], 1e-9, "p=" + PS[k]);
        }
    }

    @Test
    void sixteenBitIsExact() throws Exception {
        Random random = new Random(8);
        FloatPlane[] planes = planes(5, 80, 50, random, () -> Math.min(65535, (int) (1000 + 800 * Math.abs(random.nextGaussian()) * random.nextInt(60))));
        float[] sorted = sortedAll(planes);
        double[] got = StackPercentiles.of(planes.length, i -> planes[i], PS);
        for (int k = 0; k < PS.length; k++) {
            assertEquals(sortedPercentile(sorted, PS[k]), got[k], 1e-9, "p=" + PS[k]);
        }
    }

    @Test
    void constantAndTinyInputs() throws Exception {
        FloatPlane constant = new FloatPlane(3, 2, new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f});
        assertArrayEquals(new double[] {2.5, 2.5, 2.5}, StackPercentiles.of(1, i -> constant, 0, 50, 100), 0);
        FloatPlane two = new FloatPlane(2, 1, new float[] {10, 0});
        assertArrayEquals(new double[] {0, 2.5, 5, 10}, StackPercentiles.of(1, i -> two, 0, 25, 50, 100), 1e-12);
    }

    @Test
    void streamsPlanesTwiceAndNeverHoldsThem() throws Exception {
        int[] reads = new int[3];
        FloatPlane p = new FloatPlane(2, 2, new float[] {1, 2, 3, 4});
        StackPercentiles.of(3, i -> {
            reads[i]++;
            return p;
        }, 50);
        assertArrayEquals(new int[] {2, 2, 2}, reads);
    }

    @Test
    void rejectsBadArguments() {
        FloatPlane nan = new FloatPlane(1, 1, new float[] {Float.NaN});
        assertThrows(IllegalArgumentException.class, () -> StackPercentiles.of(1, i -> nan, 50));
        FloatPlane ok = new FloatPlane(1, 1, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> StackPercentiles.of(1, i -> ok, 101));
    }

    @Test
    void normalizationRoundTripsAndGuardsConstantImages() {
        Normalisation n = new Normalisation(100, 300);
        FloatPlane p = new FloatPlane(3, 1, new float[] {100, 200, 300});
        FloatPlane q = n.apply(p);
        assertArrayEquals(new float[] {0, 0.5f, 1}, q.data(), 1e-7f);
        assertArrayEquals(p.data(), n.invert(q).data(), 1e-4f);
        assertArrayEquals(new float[] {100, 200, 300}, p.data(), 0, "input untouched");

        Normalisation flat = new Normalisation(7, 7);
        assertEquals(1, flat.span(), 0);
        assertEquals(0, flat.apply(7f), 0);
        assertEquals(7, flat.invert(0f), 0);
        assertThrows(IllegalArgumentException.class, () -> new Normalisation(2, 1));
    }

    @Test
    void normalizationFromStackPercentiles() throws Exception {
        ij.ImageStack stack = new ij.ImageStack(10, 10);
        for (int z = 0; z < 2; z++) {
            ij.process.ShortProcessor sp = new ij.process.ShortProcessor(10, 10);
            for (int i = 0; i < 100; i++) {
                sp.set(i, z * 100 + i); // values 0..199
            }
            stack.addSlice(sp);
        }
        try (ImageStackSource src = ImageJStackSource.wrap(new ij.ImagePlus("ramp", stack))) {
            Normalisation n = Normalisation.ofChannel(src, 0, 1, 99.8);
            assertEquals(0.01 * 199, n.low(), 1e-9);
            assertEquals(0.998 * 199, n.high(), 1e-9);
        }
    }
}
