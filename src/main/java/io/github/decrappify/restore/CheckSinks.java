package io.github.decrappify.restore;

import io.github.decrappify.qc.DataConsistency;
import java.io.IOException;

/**
 * Where the per-plane checks of a restore go when asked for ({@link Restorer#optTta}, {@link Restorer#optQc}):
 * the TTA spread (output-sized, in output intensity units) and the data-consistency result (LR-sized map
 * in input units, with its scores). {@code null} sinks are skipped.
 */
public record CheckSinks(PlaneSink uncertainty, QcSink qc) {

    public static final CheckSinks NONE = new CheckSinks(null, null);

    /** Receives the data-consistency check of each plane (c, z, t), in any order. */
    @FunctionalInterface
    public interface QcSink {
        void writePlane(int c, int z, int t, DataConsistency.Result result) throws IOException;
    }
}
