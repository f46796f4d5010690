package io.github.decrappify.cli;

import io.github.decrappify.tile.TilePlan;
import picocli.CommandLine.Option;

/**
 * The tiling options {@code restore}, {@code spark-restore} and {@code spark-bench} share (a picocli mixin), with one
 * meaning everywhere, the same as Fiji's {@code tile} and {@code overlap}: absent (or {@code --tile 0}) is the
 * bundle's own tile and halo. {@code --overlap} is the bundle's {@code halo} under the name the tiler uses.
 */
public final class TileOptions {

    @Option(names = "--tile", paramLabel = "N", description = {"Tile size in LR pixels, rounded up to the model's size"
            + " multiple (default, and 0: the bundle's tile). A tile at least as large as the plane restores it in one"
            + " piece (e.g. --tile " + TilePlan.MAX_TILE + ")."})
    Integer tile;

    @Option(names = "--overlap", paramLabel = "N", description = "Context kept around each tile in LR pixels: the bundle's"
            + " 'halo' under another name (default: the bundle's halo).")
    Integer overlap;

    /**
     * The tile asked for; {@code null} (absent) or 0 = the bundle's.
     *
     * @throws BadOptionException if out of range
     */
    public Integer tile() {
        if (tile != null) {
            BadOptionException.require("--tile", tile, 0, TilePlan.MAX_TILE);
        }
        return tile;
    }

    /**
     * The overlap asked for; {@code null} (absent) = the bundle's halo.
     *
     * @throws BadOptionException if out of range
     */
    public Integer overlap() {
        if (overlap != null) {
            BadOptionException.require("--overlap", overlap, 0, TilePlan.MAX_OVERLAP);
        }
        return overlap;
    }
}
