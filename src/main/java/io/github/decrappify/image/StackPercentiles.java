package io.github.decrappify.image;

/**
 * Percentiles of all values of a sequence of planes, streamed one plane at a time in two passes
 * (range, then histogram), so memory does not grow with the stack.
 *
 * <p>Percentiles follow numpy's default ("linear"): with the n values sorted, percentile p is
 * interpolated at rank p/100·(n−1). Results are <b>exact</b> when every value is an integer and the
 * range spans at most 2<sup>20</sup> levels (always true for 8- and 16-bit images); otherwise values
 * are located in 2<sup>16</sup> bins and interpolated inside their bin, so the error is below
 * (max−min)/65536. Counts are {@code long}: stacks may hold more than 2<sup>31</sup> pixels.
 *
 * <pre>{@code
 * double[] loHi = StackPercentiles.ofChannel(source, 0, 1, 99.8);
 * }</pre>
 */
public final class StackPercentiles {

    /** Bins for non-integer data. */
    public static final int FLOAT_BINS = 1 << 16;
    /** Largest integer range counted exactly, one bin per level. */
    public static final int MAX_EXACT_LEVELS = 1 << 20;

    /** Planes by index; called twice per index, so it must return the same data each time. */
    @FunctionalInterface
    public interface PlaneSupplier {
        FloatPlane plane(int index) throws BadInputException;
    }

    private StackPercentiles() {
    }

    /**
     * Percentiles of channel {@code c} of a stack over all slices and frames.
     *
     * @throws BadInputException if a plane cannot be read or holds NaN or infinite values
     */
    public static double[] ofChannel(ImageStackSource source, int c, double... percentiles) throws BadInputException {
        int slices = source.slices();
        return of(slices * source.frames(), i -> source.readFinitePlane(c, i % slices, i / slices), percentiles);
    }

    /**
     * Percentiles of all values (all channels) of planes {@code 0..planeCount-1}.
     *
     * @param percentiles each in [0, 100]
     * @throws IllegalArgumentException for a percentile outside [0, 100] or a non-finite value
     */
    public static double[] of(int planeCount, PlaneSupplier planes, double... percentiles) throws BadInputException {
        for (double p : percentiles) {
            if (!(p >= 0 && p <= 100)) {
                throw new IllegalArgumentException("percentile must be in [0, 100]: " + p);
            }
        }
        if (planeCount <= 0) {
            throw new IllegalArgumentException("no planes");
        }
        Range range = new Range();
        for (int i = 0; i < planeCount; i++) {
            range.accept(planes.plane(i));
        }
        Histogram histogram = new Histogram(range);
        for (int i = 0; i < planeCount; i++) {
            histogram.accept(planes.plane(i));
        }
        double[] out = new double[percentiles.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = histogram.percentile(percentiles[k]);
        }
        return out;
    }

    /**
     * First pass: extremes, count, and whether every value is an integer. Ranges of parts of the data
     * (e.g. computed on different machines) {@link #merge} into the range of the whole.
     */
    public static final class Range implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long count;
        boolean integral = true;

        /** @throws IllegalArgumentException for a NaN or infinite value */
        public void accept(FloatPlane plane) {
            for (float v : plane.data()) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("non-finite value " + v + " in " + plane);
                }
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
                if (integral && v != Math.rint(v)) {
                    integral = false;
                }
            }
            count += plane.data().length;
        }

        /** Adds another part's range to this one. */
        public Range merge(Range other) {
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
            count += other.count;
            integral &= other.integral;
            return this;
        }

        public long count() {
            return count;
        }
    }

    /**
     * Second pass: counts per bin over the whole data's {@link Range}, then order statistics from the
     * cumulative counts. Histograms of parts over the same range {@link #merge} into exactly the
     * histogram of the whole, so percentiles do not depend on how the data were split.
     */
    public static final class Histogram implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final double min;
        private final double max;
        private final long total;
        private final boolean exact;
        private final double binWidth;
        private final long[] counts;

        /** @param range the range of all the data (every part), with at least one value */
        public Histogram(Range range) {
            if (range.count == 0) {
                throw new IllegalArgumentException("no values");
            }
            min = range.min;
            max = range.max;
            total = range.count;
            exact = range.integral && max - min < MAX_EXACT_LEVELS;
            int bins = exact ? (int) (max - min) + 1 : FLOAT_BINS;
            binWidth = exact ? 1 : (max - min) / FLOAT_BINS;
            counts = new long[bins];
        }

        public void accept(FloatPlane plane) {
            int last = counts.length - 1;
            double scale = binWidth > 0 ? 1 / binWidth : 0;
            for (float v : plane.data()) {
                int bin = (int) ((v - min) * scale);
                counts[bin > last ? last : bin]++; // max falls on the upper edge of the last bin
            }
        }

        /** Adds the counts of a histogram made from the same range. */
        public Histogram merge(Histogram other) {
            if (other.counts.length != counts.length || other.min != min || other.max != max) {
                throw new IllegalArgumentException("histograms over different ranges");
            }
            for (int b = 0; b < counts.length; b++) {
                counts[b] += other.counts[b];
            }
            return this;
        }

        /** Percentile p in [0, 100] of the values counted (numpy's "linear" definition). */
        public double percentile(double p) {
            double rank = p / 100 * (total - 1);
            long below = (long) Math.floor(rank);
            double fraction = rank - below;
            double a = orderStatistic(below);
            return fraction == 0 ? a : a + fraction * (orderStatistic(Math.min(below + 1, total - 1)) - a);
        }

        /** The value of rank r (0-based) among all values sorted ascending. */
        private double orderStatistic(long r) {
            if (r == 0) {
                return min;
            }
            if (r == total - 1) {
                return max;
            }
            long before = 0;
            for (int b = 0; b < counts.length; b++) {
                if (r < before + counts[b]) {
                    if (exact) {
                        return min + b;
                    }
                    // Inside a bin, assume its values are spread evenly across it.
                    double within = (r - before + 0.5) / counts[b];
                    return Math.min(max, Math.max(min, min + (b + within) * binWidth));
                }
                before += counts[b];
            }
            return max;
        }
    }
}
