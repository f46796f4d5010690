package io.github.decrappify.restore;

import io.github.decrappify.image.FloatPlane;
import java.io.IOException;

/**
 * Where restored planes go: a {@link io.github.decrappify.image.TiffStackWriter} for files, or an
 * in-memory stack for Fiji. Planes arrive once each, in any order, at the output's size.
 */
@FunctionalInterface
public interface PlaneSink {

    void writePlane(int c, int z, int t, FloatPlane plane) throws IOException;
}
