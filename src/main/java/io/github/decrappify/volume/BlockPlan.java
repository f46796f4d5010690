package io.github.decrappify.volume;

import io.github.decrappify.restore.FrameWindow;
import io.github.decrappify.tile.Span;
import io.github.decrappify.tile.Tile;
import io.github.decrappify.tile.TilePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * How one plane is restored block by block so that the result equals whole-plane restoration exactly.
 *
 * <p>The plane keeps the single-machine {@link TilePlan} (same tiles, read regions and cosine blending).
 * Blocks are rectangles of {@code blockTiles × blockTiles} of those tiles; each tile is predicted once,
 * by its block, from an input window holding the tiles' read regions (the block's halo). The output
 * plane is cut into chunks of {@code chunkWidth × chunkHeight} output pixels. A chunk that only tiles of
 * one block reach is <em>owned</em> by that block and written by it. A chunk that tiles of several
 * blocks reach (around block boundaries, within the blending band) is <em>shared</em>: each such tile's
 * weighted contribution is kept as a partial, and the chunk is summed from its partials in tile order,
 * exactly as {@link io.github.decrappify.tile.TiledPredictor#predict} sums them. No tile is predicted twice and no
 * block needs another block's pixels.
 *
 * <p>Along each axis separately: the output support of tile k is where its blending weight is
 * non-zero; chunk j is reached by a contiguous range of tiles. The 2D sets are products of the axes'.
 */
public final class BlockPlan {

    private final TilePlan tiles;
    private final int scale;
    private final int blockTiles;
    private final Axis x;
    private final Axis y;

    /**
     * @param tile,overlap,sizeMultiple as for {@link TilePlan#of(int, int, int, int, int)} (blend = overlap / 2)
     * @param chunkWidth,chunkHeight output chunk size in output pixels
     * @param blockTiles tiles per block along X and Y (≥ 1)
     */
    public BlockPlan(int width, int height, int scale, int tile, int overlap, int sizeMultiple, int chunkWidth,
            int chunkHeight, int blockTiles) {
        if (scale < 1 || chunkWidth < 1 || chunkHeight < 1 || blockTiles < 1) {
            throw new IllegalArgumentException("scale, chunk size and block size must be positive");
        }
        this.tiles = TilePlan.of(width, height, tile, overlap, sizeMultiple);
        this.scale = scale;
        this.blockTiles = blockTiles;
        int columns = tiles.tiles().isEmpty() ? 0 : tiles.tiles().get(tiles.tiles().size() - 1).column() + 1;
        int rows = tiles.tiles().size() / columns;
        List<Span> readX = new ArrayList<>();
        List<Span> readY = new ArrayList<>();
        for (int k = 0; k < columns; k++) {
            readX.add(tiles.tiles().get(k).readX());
        }
        for (int r = 0; r < rows; r++) {
            readY.add(tiles.tiles().get(r * columns).readY());
        }
        this.x = new Axis(width, scale, chunkWidth, blockTiles, readX, (k, pos) -> tiles.weightX(tiles.tiles().get(k), pos));
        this.y = new Axis(height, scale, chunkHeight, blockTiles, readY, (r, pos) -> tiles.weightY(tiles.tiles().get(r * columns), pos));
    }

    /** The whole-plane tile plan (shared with single-machine restoration). */
    public TilePlan tilePlan() {
        return tiles;
    }

    public int scale() {
        return scale;
    }

    public int blockTiles() {
        return blockTiles;
    }

    public int outputWidth() {
        return tiles.width() * scale;
    }

    public int outputHeight() {
        return tiles.height() * scale;
    }

    public int chunkWidth() {
        return x.chunk;
    }

    public int chunkHeight() {
        return y.chunk;
    }

    public int chunkColumns() {
        return x.chunkCount();
    }

    public int chunkRows() {
        return y.chunkCount();
    }

    public int blockColumns() {
        return x.blockCount();
    }

    public int blockRows() {
        return y.blockCount();
    }

    public int blockCount() {
        return blockColumns() * blockRows();
    }

    /** Tile of the plan at (column, row). */
    public Tile tile(int column, int row) {
        return tiles.tiles().get(row * x.tileCount() + column);
    }

    /** Tiles reaching output chunk (column, row), in plan order. */
    public List<Tile> contributors(int chunkColumn, int chunkRow) {
        List<Tile> list = new ArrayList<>();
        for (int r = y.firstTile[chunkRow]; r <= y.lastTile[chunkRow]; r++) {
            for (int k = x.firstTile[chunkColumn]; k <= x.lastTile[chunkColumn]; k++) {
                list.add(tile(k, r));
            }
        }
        return list;
    }

    /** Whether tiles of more than one block reach chunk (column, row). */
    public boolean isShared(int chunkColumn, int chunkRow) {
        return x.owner(chunkColumn) < 0 || y.owner(chunkRow) < 0;
    }

    /** Block (column, row): its tiles, input window and chunks. */
    public Block block(int column, int row) {
        List<Tile> list = new ArrayList<>();
        for (int r = row * blockTiles; r < Math.min((row + 1) * blockTiles, y.tileCount()); r++) {
            for (int k = column * blockTiles; k < Math.min((column + 1) * blockTiles, x.tileCount()); k++) {
                list.add(tile(k, r));
            }
        }
        Span wx = x.window(column);
        Span wy = y.window(row);
        return new Block(column, row, list, wx, wy, x.owned(column), y.owned(row), x.reached(column), y.reached(row));
    }

    /**
     * One block of a plane.
     *
     * @param tiles its tiles, in plan order
     * @param windowX,windowY the LR pixels its tiles read (after mirroring at the image edges)
     * @param ownedColumns,ownedRows chunk columns/rows owned along each axis; owned chunks are their product
     * @param reachedColumns,reachedRows chunk columns/rows its tiles reach; chunks in their product that are
     *        not owned are shared chunks this block contributes partials to
     */
    public record Block(int column, int row, List<Tile> tiles, Span windowX, Span windowY, Span ownedColumns,
            Span ownedRows, Span reachedColumns, Span reachedRows) {

        public Block {
            tiles = List.copyOf(tiles);
        }
    }

    @FunctionalInterface
    private interface Weight {
        double at(int segment, double position);
    }

    /** One axis: tile supports in output pixels, chunks reached by each tile, blocks. */
    private static final class Axis {
        final int length;
        final int scale;
        final int chunk;
        final int blockTiles;
        final List<Span> reads;
        final int[] supportStart;
        final int[] supportEnd;
        final int[] firstTile;
        final int[] lastTile;

        Axis(int length, int scale, int chunk, int blockTiles, List<Span> reads, Weight weight) {
            this.length = length;
            this.scale = scale;
            this.chunk = chunk;
            this.blockTiles = blockTiles;
            this.reads = reads;
            int n = reads.size();
            int out = length * scale;
            supportStart = new int[n];
            supportEnd = new int[n];
            for (int k = 0; k < n; k++) {
                // Exactly where accumulate() adds: inside the read region and the image, weight != 0.
                int from = reads.get(k).start() * scale;
                int to = Math.min(reads.get(k).end() * scale, out);
                int s = -1;
                int e = -1;
                for (int p = from; p < to; p++) {
                    if (weight.at(k, (p + 0.5) / scale) != 0) {
                        if (s < 0) {
                            s = p;
                        }
                        e = p + 1;
                    }
                }
                supportStart[k] = s;
                supportEnd[k] = e;
            }
            int chunks = chunkCount();
            firstTile = new int[chunks];
            lastTile = new int[chunks];
            for (int j = 0; j < chunks; j++) {
                int cs = j * chunk;
                int ce = Math.min(out, cs + chunk);
                firstTile[j] = -1;
                for (int k = 0; k < n; k++) {
                    if (supportStart[k] >= 0 && supportStart[k] < ce && supportEnd[k] > cs) {
                        if (firstTile[j] < 0) {
                            firstTile[j] = k;
                        }
                        lastTile[j] = k;
                    }
                }
                if (firstTile[j] < 0) {
                    throw new IllegalStateException("no tile reaches output chunk " + j);
                }
            }
        }

        int tileCount() {
            return reads.size();
        }

        int chunkCount() {
            return (length * scale + chunk - 1) / chunk;
        }

        int blockCount() {
            return (tileCount() + blockTiles - 1) / blockTiles;
        }

        /** The block owning chunk j along this axis, or -1 when tiles of two blocks reach it. */
        int owner(int j) {
            int a = firstTile[j] / blockTiles;
            return a == lastTile[j] / blockTiles ? a : -1;
        }

        Span owned(int block) {
            int first = -1;
            int last = -1;
            for (int j = 0; j < chunkCount(); j++) {
                if (owner(j) == block) {
                    if (first < 0) {
                        first = j;
                    }
                    last = j + 1;
                }
            }
            return first < 0 ? new Span(0, 0) : new Span(first, last);
        }

        Span reached(int block) {
            int k0 = block * blockTiles;
            int k1 = Math.min(tileCount(), k0 + blockTiles) - 1;
            int first = -1;
            int last = -1;
            for (int j = 0; j < chunkCount(); j++) {
                if (lastTile[j] >= k0 && firstTile[j] <= k1) {
                    if (first < 0) {
                        first = j;
                    }
                    last = j + 1;
                }
            }
            return new Span(first, last);
        }

        /** Smallest span of image pixels holding every (mirrored) position the block's tiles read. */
        Span window(int block) {
            int k0 = block * blockTiles;
            int k1 = Math.min(tileCount(), k0 + blockTiles) - 1;
            int lo = Integer.MAX_VALUE;
            int hi = -1;
            for (int k = k0; k <= k1; k++) {
                for (int p = reads.get(k).start(); p < reads.get(k).end(); p++) {
                    int q = p < length ? p : FrameWindow.mirror(p, length);
                    lo = Math.min(lo, q);
                    hi = Math.max(hi, q);
                }
            }
            // Reads past the image's end are mirrored about its last pixel: the window must end there too.
            if (reads.get(k1).end() > length) {
                hi = length - 1;
            }
            return new Span(lo, hi + 1);
        }
    }
}
