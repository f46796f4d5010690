package io.github.decrappify.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TilePlanTest {

    @Test
    void planInvariantsHoldForManyShapes() {
        int[][] cases = { // width, height, tile, overlap, blend, multiple
            {77, 131, 32, 5, 2, 16}, {200, 333, 64, 8, 4, 32}, {200, 333, 100, 3, 1, 32}, {1000, 17, 256, 40, 20, 64},
            {5, 5, 8, 2, 1, 8}, {129, 129, 64, 0, 0, 64}, {513, 300, 128, 64, 32, 64}, {300, 300, 96, 200, 50, 32}};
        for (int[] c : cases) {
            TilePlan plan = TilePlan.of(c[0], c[1], c[2], c[3], c[4], c[5]);
            String where = java.util.Arrays.toString(c);
            int b = c[5];
            assertEquals(0, plan.canvasWidth() % b, where);
            assertTrue(plan.canvasWidth() >= c[0] && plan.canvasWidth() < c[0] + b, where);
            assertEquals(0, plan.tileSize() % b, where);
            assertTrue(plan.tileSize() >= c[2] && plan.tileSize() < c[2] + b, where);
            int[] covered = new int[c[0] * c[1]];
            for (Tile t : plan.tiles()) {
                for (Span read : new Span[] {t.readX(), t.readY()}) {
                    assertEquals(0, read.start() % b, where + " " + t);
                    assertEquals(0, read.end() % b, where + " " + t);
                }
                assertTrue(t.readX().end() <= plan.canvasWidth() && t.readY().end() <= plan.canvasHeight(), where);
                // Context: the read region holds the core grown by blend + overlap, unless clipped by the canvas.
                int grow = plan.blendX() + c[3];
                assertTrue(t.readX().start() <= Math.max(0, t.coreX().start() - grow), where + " " + t);
                assertTrue(t.readX().end() >= Math.min(plan.canvasWidth(), t.coreX().end() + grow), where + " " + t);
                grow = plan.blendY() + c[3];
                assertTrue(t.readY().start() <= Math.max(0, t.coreY().start() - grow), where + " " + t);
                assertTrue(t.readY().end() >= Math.min(plan.canvasHeight(), t.coreY().end() + grow), where + " " + t);
                for (int y = t.coreY().start(); y < t.coreY().end(); y++) {
                    for (int x = t.coreX().start(); x < t.coreX().end(); x++) {
                        covered[y * c[0] + x]++;
                    }
                }
            }
            for (int n : covered) {
                assertEquals(1, n, "cores partition the image " + where);
            }
        }
    }

    @Test
    void weightsArePartitionOfUnityAndStayWhereContextIsEnough() {
        for (int s : new int[] {1, 2, 4}) {
            TilePlan plan = TilePlan.of(150, 97, 32, 6, 5, 16);
            double[] sum = new double[150 * s * 97 * s];
            for (Tile t : plan.tiles()) {
                for (int Y = 0; Y < 97 * s; Y++) {
                    for (int X = 0; X < 150 * s; X++) {
                        double x = (X + 0.5) / s, y = (Y + 0.5) / s;
                        double w = plan.weightX(t, x) * plan.weightY(t, y);
                        if (w < 0 || w > 1) {
                            throw new AssertionError("weight " + w);
                        }
                        if (w > 0) {
                            // Non-zero weight only with >= overlap context inside the read region (or at the canvas edge).
                            boolean context = (t.readX().start() == 0 || x - t.readX().start() >= 6)
                                    && (t.readX().end() == plan.canvasWidth() || t.readX().end() - x >= 6)
                                    && (t.readY().start() == 0 || y - t.readY().start() >= 6)
                                    && (t.readY().end() == plan.canvasHeight() || t.readY().end() - y >= 6);
                            if (!context) {
                                throw new AssertionError(t + " weighs (" + x + ", " + y + ") without enough context");
                            }
                        }
                        sum[Y * 150 * s + X] += w;
                    }
                }
            }
            for (double v : sum) {
                assertEquals(1, v, 1e-12);
            }
        }
    }

    @Test
    void blendRampIsSmoothAndSymmetric() {
        TilePlan plan = TilePlan.of(128, 16, 64, 8, 4, 16);
        Tile left = plan.tiles().get(0);
        assertEquals(1, plan.weightX(left, 59.5), 0);
        assertEquals(0.5, plan.weightX(left, 64), 1e-12);
        assertEquals(0, plan.weightX(left, 68.5), 0);
        assertEquals(1 - plan.weightX(left, 62.5), plan.weightX(left, 65.5), 1e-12);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 0.5 / 8)), plan.weightX(left, 60.5), 1e-12);
    }

    @Test
    void wholeImageWhenTileIsZeroOrCoversCanvas() {
        for (int tile : new int[] {0, 224, 4096}) {
            TilePlan plan = TilePlan.of(200, 150, tile, 16, 32);
            assertTrue(plan.isWholeImage(), "tile " + tile);
            Tile t = plan.tiles().get(0);
            assertEquals(new Span(0, 224), t.readX());
            assertEquals(new Span(0, 160), t.readY());
            assertEquals(new Span(0, 200), t.coreX());
        }
        // Tiled along X only.
        TilePlan strip = TilePlan.of(500, 40, 128, 8, 64);
        assertEquals(4, strip.tiles().size());
        assertEquals(new Span(0, 64), strip.tiles().get(2).readY());
    }

    @Test
    void tileAndOverlapAreBoundedSoTheArithmeticCannotWrap() {
        // Issue 13: --tile 2147483585 wrapped around in the rounding and gave a constant image.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TilePlan.of(300, 200, 2147483585, 32, 64));
        assertTrue(e.getMessage().startsWith("need 0 <= tile <= 65536"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TilePlan.of(300, 200, 256, Integer.MAX_VALUE, 64));
        TilePlan big = TilePlan.of(300, 200, TilePlan.MAX_TILE, TilePlan.MAX_OVERLAP, 64);
        assertEquals(1, big.tiles().size(), "the largest tile covers the image");
    }

    @Test
    void tileSizeIsRoundedUpToTheSizeMultiple() {
        TilePlan plan = TilePlan.of(1000, 1000, 100, 10, 0, 64);
        assertEquals(128, plan.tileSize());
        assertEquals(8 * 8, plan.tiles().size());
        Tile second = plan.tiles().get(1);
        assertEquals(new Span(128, 256), second.coreX());
        assertEquals(new Span(64, 320), second.readX());
    }

    @Test
    void blendIsCappedAtHalfTheTile() {
        TilePlan plan = TilePlan.of(300, 300, 32, 4, 100, 32);
        assertEquals(16, plan.blendX());
    }
}
