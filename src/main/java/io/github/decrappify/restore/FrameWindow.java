package io.github.decrappify.restore;

/** Positions of the n planes around a centre along an axis, mirrored at the ends so none is dropped. */
public final class FrameWindow {

    private FrameWindow() {
    }

    /**
     * @return for centre {@code i} on an axis of {@code length}, the positions i − n/2 … i + n/2 with
     *         out-of-range ones reflected about the end planes (−1 → 1, length → length − 2)
     */
    public static int[] around(int i, int frames, int length) {
        int[] positions = new int[frames];
        for (int k = 0; k < frames; k++) {
            positions[k] = mirror(i + k - frames / 2, length);
        }
        return positions;
    }

    /** Reflection without repeating the edge plane, periodic so that any offset lands inside. */
    public static int mirror(int position, int length) {
        if (length == 1) {
            return 0;
        }
        int period = 2 * (length - 1);
        int p = Math.floorMod(position, period);
        return p < length ? p : period - p;
    }
}
