package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;

/** Rectangular crops and simple statistics of (multi-channel) planes. */
public final class Crops {
    private Crops() {}

    public static FloatPlane crop(FloatPlane p, int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || x0 + w > p.width() || y0 + h > p.height()) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x0 + "+" + y0 + " outside " + p);
        }
        int c = p.channels();
        float[] out = new float[w * h * c];
        for (int y = 0; y < h; y++) {
            System.arraycopy(p.data(), ((y0 + y) * p.width() + x0) * c, out, y * w * c, w * c);
        }
        return new FloatPlane(w, h, c, out);
    }

    /** The {@code w×h} crop at the centre of {@code p} (offsets rounded down). */
    public static FloatPlane centre(FloatPlane p, int w, int h) {
        return crop(p, (p.width() - w) / 2, (p.height() - h) / 2, w, h);
    }

    public static double std(FloatPlane p) {
        double s = 0;
        double s2 = 0;
        for (float v : p.data()) {
            s += v;
            s2 += (double) v * v;
        }
        int n = p.data().length;
        return Math.sqrt(Math.max(0, s2 / n - (s / n) * (s / n)));
    }
}
