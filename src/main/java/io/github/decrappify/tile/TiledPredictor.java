package io.github.decrappify.tile;

import io.github.decrappify.image.FloatPlane;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Runs a {@link TileModel} over a whole plane, tile by tile as a {@link TilePlan} says, and blends the
 * tiles into one output of (width·scale)×(height·scale).
 *
 * <p>Tile inputs are lazy ImgLib2 views of the mirror-extended plane, copied only into the patch the
 * model receives; peak memory is the input, one patch, its prediction and the output.
 *
 * <pre>{@code
 * TiledPredictor predictor = new TiledPredictor(model, 512, 32);
 * FloatPlane hr = predictor.predict(lr, (done, total) -> status("tile " + done + "/" + total));
 * }</pre>
 */
public final class TiledPredictor {

    private final TileModel model;
    private final int tile;
    private final int overlap;
    private final int blend;

    /** Blends over {@code overlap / 2}; see {@link TilePlan#of(int, int, int, int, int)}. */
    public TiledPredictor(TileModel model, int tile, int overlap) {
        this(model, tile, overlap, overlap / 2);
    }

    /**
     * @param tile LR tile size, rounded up to the model's size multiple; 0 = whole image in one go
     * @param overlap LR context around every blended pixel; use at least the model's receptive radius
     * @param blend half-width of the cosine hand-over band at tile boundaries
     */
    public TiledPredictor(TileModel model, int tile, int overlap, int blend) {
        this.model = model;
        this.tile = tile;
        this.overlap = overlap;
        this.blend = blend;
    }

    public TileModel model() {
        return model;
    }

    public TilePlan plan(int width, int height) {
        return TilePlan.of(width, height, tile, overlap, blend, model.sizeMultiple());
    }

    public FloatPlane predict(FloatPlane input) {
        return predict(input, TileProgress.NONE);
    }

    /**
     * @param input width×height×{@link TileModel#inputChannels()}
     * @return (width·scale)×(height·scale)×1
     */
    public FloatPlane predict(FloatPlane input, TileProgress progress) {
        requireChannels(input);
        int s = model.scale();
        TilePlan plan = plan(input.width(), input.height());
        FloatPlane output = FloatPlane.zeros(input.width() * s, input.height() * s, 1);
        InputWindow whole = new InputWindow(input, 0, 0);
        int done = 0;
        for (Tile t : plan.tiles()) {
            accumulate(plan, t, predictTile(t, whole), s, output, 0, 0);
            progress.tileDone(++done, plan.tiles().size());
        }
        return output;
    }

    /**
     * Part of an image given to {@link #predictTile}: {@code plane} holds the image's pixels from
     * ({@code x}, {@code y}) on. It must contain every pixel the tile reads, after mirroring at the
     * image's right and bottom edges (see {@link TilePlan}); a window reaching those edges mirrors as
     * the whole image does.
     */
    public record InputWindow(FloatPlane plane, int x, int y) {
    }

    /**
     * Runs the model on one tile's read region, taken from a window of the image. Used by block-wise
     * restoration, which predicts the tiles of a {@link TilePlan} of the whole image a few at a time,
     * yet must produce exactly the pixels {@link #predict} produces.
     *
     * @return the prediction of the read region, (readX.length·scale)×(readY.length·scale)×1
     */
    public FloatPlane predictTile(Tile t, InputWindow window) {
        requireChannels(window.plane());
        int channels = window.plane().channels();
        long[] offset = channels == 1 ? new long[] {window.x(), window.y()} : new long[] {0, window.x(), window.y()};
        RandomAccessibleInterval<FloatType> img = window.x() == 0 && window.y() == 0 ? window.plane().toImg()
                : Views.translate(window.plane().toImg(), offset);
        RandomAccessible<FloatType> canvas = Views.extendMirrorSingle(img);
        FloatPlane patch = extract(canvas, channels, t.readX(), t.readY());
        FloatPlane predicted = model.predict(patch);
        int s = model.scale();
        if (predicted.width() != patch.width() * s || predicted.height() != patch.height() * s
                || predicted.channels() != 1) {
            throw new IllegalStateException("model " + model.name() + " returned " + predicted + " for "
                    + patch + "; expected " + patch.width() * s + "x" + patch.height() * s + "x1");
        }
        return predicted;
    }

    private void requireChannels(FloatPlane input) {
        if (input.channels() != model.inputChannels()) {
            throw new IllegalArgumentException("model " + model.name() + " takes " + model.inputChannels()
                    + " channels, input has " + input.channels());
        }
    }

    /** Copies a read region of the (extended) input into an NHWC patch. */
    private static FloatPlane extract(RandomAccessible<FloatType> canvas, int channels, Span x, Span y) {
        FloatPlane patch = FloatPlane.zeros(x.length(), y.length(), channels);
        long[] min = channels == 1 ? new long[] {x.start(), y.start()} : new long[] {0, x.start(), y.start()};
        long[] max = channels == 1 ? new long[] {x.end() - 1, y.end() - 1}
                : new long[] {channels - 1, x.end() - 1, y.end() - 1};
        // Flat iteration runs over the first dimension fastest: channel, then X, then Y = NHWC.
        Cursor<FloatType> cursor = Views.flatIterable(Views.interval(canvas, min, max)).cursor();
        float[] data = patch.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = cursor.next().get();
        }
        return patch;
    }

    /**
     * Adds a tile's prediction, weighted by the plan's blending, to the part of an output window that
     * lies inside the image. {@code target} holds output pixels from ({@code ox}, {@code oy}) on (output
     * pixels = LR pixels × scale). Each output pixel receives {@code (float) (weight · value)}, added in
     * the order the tiles are accumulated; in plan order this reproduces {@link #predict} bit for bit.
     *
     * @return whether any pixel of the window received a non-zero weight
     */
    public static boolean accumulate(TilePlan plan, Tile t, FloatPlane predicted, int s, FloatPlane target, int ox,
            int oy) {
        int x0 = t.readX().start() * s;
        int y0 = t.readY().start() * s;
        int xa = Math.max(x0, ox);
        int ya = Math.max(y0, oy);
        int x1 = Math.min(Math.min(t.readX().end() * s, plan.width() * s), ox + target.width());
        int y1 = Math.min(Math.min(t.readY().end() * s, plan.height() * s), oy + target.height());
        if (xa >= x1 || ya >= y1) {
            return false;
        }
        double[] wx = new double[x1 - xa];
        for (int X = xa; X < x1; X++) {
            wx[X - xa] = plan.weightX(t, (X + 0.5) / s);
        }
        float[] out = target.data();
        float[] in = predicted.data();
        int pw = predicted.width();
        boolean any = false;
        for (int Y = ya; Y < y1; Y++) {
            double wy = plan.weightY(t, (Y + 0.5) / s);
            if (wy == 0) {
                continue;
            }
            int outRow = (Y - oy) * target.width() - ox;
            int inRow = (Y - y0) * pw - x0;
            for (int X = xa; X < x1; X++) {
                double w = wy * wx[X - xa];
                if (w != 0) {
                    out[outRow + X] += (float) (w * in[inRow + X]);
                    any = true;
                }
            }
        }
        return any;
    }
}
