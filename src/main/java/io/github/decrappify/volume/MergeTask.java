package io.github.decrappify.volume;

import java.io.Serializable;

/** Stage 2 unit: the shared output chunk (column, row) of z-chunk {@code zChunk} of channel c, frame t. */
public record MergeTask(int c, int t, int zChunk, int column, int row) implements Serializable {

    @Override
    public String toString() {
        return "chunk c" + c + " t" + t + " z" + zChunk + " (" + column + "," + row + ")";
    }
}
