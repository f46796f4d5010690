package io.github.decrappify.tile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where to cut an image into model-sized tiles and how to blend them back, in low-resolution (input)
 * pixels.
 *
 * <ul>
 * <li><b>Canvas</b>: the image mirror-extended at the right and bottom to multiples of the model's
 * size multiple B. Whole-image inference runs the model on the canvas.</li>
 * <li><b>Tiles</b>: the tile size T is rounded <em>up</em> to a multiple of B; T = 0, or T at least
 * the canvas size along an axis, means one tile along that axis. Cores are the consecutive T-wide
 * strips of the image (the last one shorter); they partition the image.</li>
 * <li><b>Read regions</b> (what the model sees) are the cores grown by blend + overlap on each side,
 * rounded outward to multiples of B and clipped to the canvas. Starting on the B grid keeps windowed
 * attention aligned with the whole-image windows; clipping to the canvas means border tiles see
 * exactly the borders the whole image sees.</li>
 * <li><b>Blending</b>: across each inner core boundary, a raised-cosine ramp over ±blend pixels hands
 * over from one tile to the next; the weights sum to one everywhere. Every output pixel with non-zero
 * weight from a tile has at least {@code overlap} pixels of context in that tile (or lies at the
 * canvas border, as in the whole image), so for a model with receptive radius ≤ overlap the tiled
 * result equals the whole-image result up to rounding. Blending only softens seams of models whose
 * far field reaches beyond the overlap.</li>
 * </ul>
 *
 * <pre>{@code
 * TilePlan plan = TilePlan.of(2048, 1536, 512, 32, 64); // blend defaults to overlap / 2
 * for (Tile t : plan.tiles()) { ... t.readX(), t.readY() ... }
 * }</pre>
 */
public final class TilePlan {

    private final int width;
    private final int height;
    private final int tileSize;
    private final int overlap;
    private final int sizeMultiple;
    private final int canvasWidth;
    private final int canvasHeight;
    private final AxisPlan x;
    private final AxisPlan y;
    private final List<Tile> tiles;

    /**
     * Largest tile edge (LR px). Far above any plane a Java array holds along one axis in practice, and low
     * enough that tile + overlap + blend arithmetic never overflows an int (2³¹ − 1 used to wrap around into
     * a constant image).
     */
    public static final int MAX_TILE = 1 << 16;
    /** Largest overlap (and blend band) in LR px: a model's receptive field is a few hundred px at most. */
    public static final int MAX_OVERLAP = 1 << 12;

    private TilePlan(int width, int height, int tile, int overlap, int blend, int sizeMultiple) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (tile < 0 || overlap < 0 || blend < 0 || sizeMultiple <= 0 || tile > MAX_TILE || overlap > MAX_OVERLAP
                || blend > MAX_OVERLAP || sizeMultiple > MAX_TILE) {
            throw new IllegalArgumentException("need 0 <= tile <= " + MAX_TILE + ", 0 <= overlap, blend <= " + MAX_OVERLAP
                    + ", 0 < size multiple <= " + MAX_TILE + "; got "
                    + tile + ", " + overlap + ", " + blend + ", " + sizeMultiple);
        }
        this.width = width;
        this.height = height;
        this.overlap = overlap;
        this.sizeMultiple = sizeMultiple;
        this.tileSize = AxisPlan.ceil(tile, sizeMultiple);
        this.canvasWidth = AxisPlan.ceil(width, sizeMultiple);
        this.canvasHeight = AxisPlan.ceil(height, sizeMultiple);
        this.x = new AxisPlan(width, canvasWidth, tileSize, overlap, blend, sizeMultiple);
        this.y = new AxisPlan(height, canvasHeight, tileSize, overlap, blend, sizeMultiple);
        List<Tile> list = new ArrayList<>();
        for (int row = 0; row < y.count(); row++) {
            for (int column = 0; column < x.count(); column++) {
                list.add(new Tile(list.size(), column, row, x.core(column), y.core(row), x.read(column), y.read(row)));
            }
        }
        this.tiles = Collections.unmodifiableList(list);
    }

    /** A plan blending over {@code overlap / 2} pixels on each side of every inner core boundary. */
    public static TilePlan of(int width, int height, int tile, int overlap, int sizeMultiple) {
        return new TilePlan(width, height, tile, overlap, overlap / 2, sizeMultiple);
    }

    /**
     * @param tile tile size in LR pixels (rounded up to a multiple of {@code sizeMultiple}); 0 = whole image
     * @param overlap context kept around every blended pixel, ≥ the model's receptive radius for
     *        tiled = whole
     * @param blend half-width of the cosine hand-over band (0 = hard seams at core boundaries); capped
     *        at half the tile size
     */
    public static TilePlan of(int width, int height, int tile, int overlap, int blend, int sizeMultiple) {
        return new TilePlan(width, height, tile, overlap, blend, sizeMultiple);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Width of the mirror-extended canvas: {@code width} rounded up to the size multiple. */
    public int canvasWidth() {
        return canvasWidth;
    }

    public int canvasHeight() {
        return canvasHeight;
    }

    /** The tile size after rounding up to the size multiple. */
    public int tileSize() {
        return tileSize;
    }

    public int overlap() {
        return overlap;
    }

    public int blendX() {
        return x.blend();
    }

    public int blendY() {
        return y.blend();
    }

    public int sizeMultiple() {
        return sizeMultiple;
    }

    /** Row-major, unmodifiable. */
    public List<Tile> tiles() {
        return tiles;
    }

    /** True when a single tile covers the whole canvas. */
    public boolean isWholeImage() {
        return tiles.size() == 1;
    }

    /** Blending weight of a tile's column at continuous X position {@code px} (pixel i's centre: i + 0.5). */
    public double weightX(Tile tile, double px) {
        return x.weight(tile.column(), px);
    }

    public double weightY(Tile tile, double py) {
        return y.weight(tile.row(), py);
    }

    /** Number of LR pixels the model processes in total, for cost estimates (≥ canvas area). */
    public long processedPixels() {
        long sum = 0;
        for (Tile t : tiles) {
            sum += (long) t.readX().length() * t.readY().length();
        }
        return sum;
    }
}
