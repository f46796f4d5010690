package io.github.decrappify.tile;

/** Told after each tile of a plane has been predicted. */
@FunctionalInterface
public interface TileProgress {

    TileProgress NONE = (done, total) -> {
    };

    /** @param done tiles finished so far (1-based), {@code total} tiles in this plane */
    void tileDone(int done, int total);
}
