package io.github.decrappify.qc;

import io.github.decrappify.image.FloatPlane;

/**
 * The eight symmetries of a square pixel grid (the dihedral group D4): the identity, three rotations
 * by multiples of 90° and four reflections. Each is a transpose (or not) followed by flips of X and/or
 * Y; all channels of a pixel move together, so multi-frame NHWC planes keep their frames.
 *
 * <pre>{@code
 * FloatPlane t = D4.ROT90.apply(lr);             // W x H becomes H x W
 * FloatPlane back = D4.ROT90.invert(model(t));  // undo on the (scaled) prediction
 * }</pre>
 */
public enum D4 {
    IDENTITY(false, false, false),
    FLIP_X(false, true, false),
    FLIP_Y(false, false, true),
    ROT180(false, true, true),
    TRANSPOSE(true, false, false),
    /** Transpose then flip X: a 90° clockwise rotation in image coordinates (Y down). */
    ROT90(true, true, false),
    /** Transpose then flip Y: a 90° counter-clockwise rotation. */
    ROT270(true, false, true),
    ANTI_TRANSPOSE(true, true, true);

    private final boolean transpose;
    private final boolean flipX;
    private final boolean flipY;

    D4(boolean transpose, boolean flipX, boolean flipY) {
        this.transpose = transpose;
        this.flipX = flipX;
        this.flipY = flipY;
    }

    /** Whether width and height trade places. */
    public boolean swapsAxes() {
        return transpose;
    }

    /** The transformed plane (a new array). */
    public FloatPlane apply(FloatPlane p) {
        return flip(transpose ? transpose(p) : p, flipX, flipY);
    }

    /** Undoes {@link #apply}: {@code invert(apply(p)).equals(p)}. */
    public FloatPlane invert(FloatPlane p) {
        FloatPlane f = flip(p, flipX, flipY);
        return transpose ? transpose(f) : f;
    }

    private static FloatPlane transpose(FloatPlane p) {
        int w = p.width();
        int h = p.height();
        int n = p.channels();
        float[] in = p.data();
        float[] out = new float[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(in, (y * w + x) * n, out, (x * h + y) * n, n);
            }
        }
        return new FloatPlane(h, w, n, out);
    }

    private static FloatPlane flip(FloatPlane p, boolean fx, boolean fy) {
        int w = p.width();
        int h = p.height();
        int n = p.channels();
        float[] in = p.data();
        float[] out = new float[in.length];
        for (int y = 0; y < h; y++) {
            int sy = fy ? h - 1 - y : y;
            for (int x = 0; x < w; x++) {
                int sx = fx ? w - 1 - x : x;
                System.arraycopy(in, (sy * w + sx) * n, out, (y * w + x) * n, n);
            }
        }
        return new FloatPlane(w, h, n, out);
    }
}
