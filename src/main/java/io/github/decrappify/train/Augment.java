package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;
import java.util.Random;

/** The dihedral group (flips and 90° rotations) and intensity jitter used for augmentation. */
public final class Augment {
    private Augment() {}

    /** Applies transform {@code k} in 0..7 (bit 2: transpose, bit 1: flip x, bit 0: flip y) to a square plane. */
    public static FloatPlane dihedral(FloatPlane p, int k) {
        int n = p.width();
        if (p.height() != n) {
            throw new IllegalArgumentException("dihedral transforms need square patches");
        }
        int c = p.channels();
        float[] out = new float[p.data().length];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int sx = x;
                int sy = y;
                if ((k & 4) != 0) {
                    int t = sx;
                    sx = sy;
                    sy = t;
                }
                if ((k & 2) != 0) {
                    sx = n - 1 - sx;
                }
                if ((k & 1) != 0) {
                    sy = n - 1 - sy;
                }
                System.arraycopy(p.data(), (sy * n + sx) * c, out, (y * n + x) * c, c);
            }
        }
        return new FloatPlane(n, n, c, out);
    }

    /** {@code x·gain + offset} in place. */
    public static void intensity(FloatPlane p, float gain, float offset) {
        float[] d = p.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] * gain + offset;
        }
    }

    static float uniform(Random r, float lo, float hi) {
        return lo + (hi - lo) * r.nextFloat();
    }
}
