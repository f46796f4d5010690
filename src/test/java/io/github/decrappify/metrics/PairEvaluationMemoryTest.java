package io.github.decrappify.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Issue 13, same pattern as item 12: a plane big enough to read may be too big to score (SSIM's local
 * moments, registration's transforms); evaluate refuses it in one line before allocating, not with an
 * OutOfMemoryError part-way through a folder.
 */
class PairEvaluationMemoryTest {

    private static final long GIB = 1L << 30;

    @Test
    void aPlaneWhoseScoringDoesNotFitIsRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairEvaluation.requireMemory("big.tif", 40000, 40000, false, 8 * GIB));
        assertEquals("big.tif: scoring a 40000x40000 plane needs about 95.4 GiB of memory, 8.0 GiB are free; give Java"
                + " more (JAVA_OPTS=-Xmx...) or score a crop", e.getMessage());
        // registration needs more: a plane that scores without it may not with it
        PairEvaluation.requireMemory("a.tif", 10000, 10000, false, 8 * GIB);
        assertThrows(IllegalArgumentException.class, () -> PairEvaluation.requireMemory("a.tif", 10000, 10000, true, 8 * GIB));
        // ordinary planes pass with little memory
        PairEvaluation.requireMemory("s.tif", 1024, 1024, true, GIB / 4);
    }
}
