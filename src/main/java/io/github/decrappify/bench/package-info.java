/**
 * The {@code bench} measurements (inference speed whole and tiled, start-up, heap) on a fixed input, as a map of named figures.
 */
package io.github.decrappify.bench;
