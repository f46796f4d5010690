package io.github.decrappify.tile;

/**
 * One tile of a {@link TilePlan}, in low-resolution pixels.
 *
 * @param index position in {@link TilePlan#tiles()} (row-major)
 * @param column index along X, {@code row} along Y
 * @param coreX the part of the image this tile is mainly responsible for (cores partition the image)
 * @param readX the canvas region given to the model: the core grown by at least blend + overlap on
 *        each side, aligned to the size multiple and clipped to the canvas
 */
public record Tile(int index, int column, int row, Span coreX, Span coreY, Span readX, Span readY) {
}
