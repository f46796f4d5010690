package io.github.decrappify.volume;

import java.io.Serializable;

/** Stage 1 unit: block (column, row) of the planes of z-chunk {@code zChunk} of channel c, frame t. */
public record BlockTask(int c, int t, int zChunk, int column, int row) implements Serializable {

    @Override
    public String toString() {
        return "block c" + c + " t" + t + " z" + zChunk + " (" + column + "," + row + ")";
    }
}
