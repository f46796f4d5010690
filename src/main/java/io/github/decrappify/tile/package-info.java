/**
 * Tiling: where tiles go ({@link io.github.decrappify.tile.TilePlan}, per axis {@link io.github.decrappify.tile.AxisPlan}, with
 * the halo of context) and how they are run and blended ({@link io.github.decrappify.tile.TiledPredictor} over a
 * {@link io.github.decrappify.tile.TileModel}), so that tiled and whole-plane outputs agree.
 */
package io.github.decrappify.tile;
