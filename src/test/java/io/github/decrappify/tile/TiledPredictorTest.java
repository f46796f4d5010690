package io.github.decrappify.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.tile.FakeModels.Conv;
import io.github.decrappify.tile.FakeModels.Identity;
import io.github.decrappify.tile.FakeModels.Upscale;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TiledPredictorTest {

    static FloatPlane noise(int w, int h, int channels, long seed) {
        Random random = new Random(seed);
        FloatPlane p = FloatPlane.zeros(w, h, channels);
        for (int i = 0; i < p.data().length; i++) {
            // Smooth structure plus noise, like a micrograph.
            int pixel = i / channels;
            int x = pixel % w, y = pixel / w;
            p.data()[i] = (float) (Math.sin(x * 0.13) * Math.cos(y * 0.07) + 0.5 * random.nextGaussian());
        }
        return p;
    }

    /** Max |tiled − whole| relative to the whole output's range. */
    static double relativeDifference(TileModel model, FloatPlane input, int tile, int overlap, int blend) {
        FloatPlane whole = new TiledPredictor(model, 0, 0).predict(input);
        FloatPlane tiled = new TiledPredictor(model, tile, overlap, blend).predict(input);
        assertEquals(whole.width(), tiled.width());
        assertEquals(whole.height(), tiled.height());
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        double diff = 0;
        for (int i = 0; i < whole.data().length; i++) {
            min = Math.min(min, whole.data()[i]);
            max = Math.max(max, whole.data()[i]);
            diff = Math.max(diff, Math.abs(whole.data()[i] - tiled.data()[i]));
        }
        return diff / (max - min);
    }

    @Test
    void tiledEqualsWholeWhenOverlapCoversReceptiveField() {
        int radius = 3;
        List<String> checked = new ArrayList<>();
        for (int[] size : new int[][] {{77, 131}, {200, 333}}) {
            FloatPlane input = noise(size[0], size[1], 1, size[0]);
            for (Upscale up : Upscale.values()) {
                for (int scale : new int[] {2, 4}) {
                    TileModel model = new Conv(radius, scale, 16, 1, up, 0);
                    int overlap = up == Upscale.NEAREST ? radius : radius + 1;
                    for (int tile : new int[] {16, 40, 64, 96}) {
                        for (int blend : new int[] {0, overlap / 2, 7}) {
                            double d = relativeDifference(model, input, tile, overlap, blend);
                            assertTrue(d < 1e-3, size[0] + "x" + size[1] + " " + up + " x" + scale + " tile " + tile
                                    + " blend " + blend + ": " + d);
                            checked.add(size[0] + "/" + tile);
                        }
                    }
                }
            }
        }
        assertEquals(2 * 2 * 2 * 4 * 3, checked.size());
    }

    @Test
    void tiledEqualsWholeForWindowedModelBecauseTilesStartOnTheGrid() {
        Conv model = new Conv(2, 2, 32, 1, Upscale.NEAREST, 32);
        FloatPlane input = noise(200, 333, 1, 5);
        for (int tile : new int[] {32, 64, 100}) {
            double d = relativeDifference(model, input, tile, 2, 1);
            assertTrue(d < 1e-3, "tile " + tile + ": " + d);
        }
        // The fake really depends on the window grid: the same pixels seen from a patch shifted by one
        // pixel (not on the grid) give another result, so a misaligned plan would fail above.
        FloatPlane patch = crop(input, 0, 0, 64, 64);
        FloatPlane shifted = crop(input, 1, 0, 64, 64);
        float onGrid = model.predict(patch).get(2 * 33, 2 * 10);
        float offGrid = model.predict(shifted).get(2 * 32, 2 * 10);
        assertTrue(Math.abs(onGrid - offGrid) > 1e-2, onGrid + " vs " + offGrid);
    }

    @Test
    void tooSmallOverlapIsCaught() {
        Conv model = new Conv(12, 2, 16, 1, Upscale.NEAREST, 0);
        FloatPlane input = noise(200, 333, 1, 9);
        double d = relativeDifference(model, input, 48, 0, 0);
        assertTrue(d > 1e-2, "seams must show when overlap 0 << radius 12: " + d);
        double enough = relativeDifference(model, input, 48, 12, 0);
        assertTrue(enough < 1e-3, "and vanish with overlap = radius: " + enough);
    }

    @Test
    void positionValuedImageLandsAtTheRightCoordinates() {
        int w = 77, h = 131;
        FloatPlane input = FloatPlane.zeros(w, h, 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                input.set(x, y, x + 1000 * y);
            }
        }
        for (int scale : new int[] {1, 2, 4}) {
            for (int tile : new int[] {0, 16, 32, 50}) {
                FloatPlane out = new TiledPredictor(new Identity(scale, 16, 1, 0), tile, 0, 0).predict(input);
                assertEquals(w * scale, out.width());
                assertEquals(h * scale, out.height());
                for (int Y = 0; Y < out.height(); Y++) {
                    for (int X = 0; X < out.width(); X++) {
                        if (out.get(X, Y) != X / scale + 1000 * (Y / scale)) {
                            throw new AssertionError("x" + scale + " tile " + tile + " at (" + X + ", " + Y + "): "
                                    + out.get(X, Y));
                        }
                    }
                }
            }
        }
    }

    @Test
    void multiChannelPatchesKeepChannelsApart() {
        int w = 40, h = 23;
        FloatPlane input = FloatPlane.zeros(w, h, 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    input.set(x, y, c, c * 100_000 + x + 100 * y);
                }
            }
        }
        FloatPlane out = new TiledPredictor(new Identity(2, 8, 3, 1), 16, 0, 0).predict(input);
        assertEquals(100_000 + 39 + 100 * 22, out.get(79, 45), 0);
        assertEquals(100_000 + 17 + 100 * 3, out.get(34, 7), 0);
    }

    @Test
    void imageSmallerThanSizeMultipleIsMirrorPadded() {
        FloatPlane input = noise(20, 13, 1, 3);
        Conv model = new Conv(2, 2, 64, 1, Upscale.BILINEAR, 0);
        FloatPlane out = new TiledPredictor(model, 64, 3).predict(input);
        assertEquals(40, out.width());
        assertEquals(26, out.height());
        assertEquals(1, model.calls);
        FloatPlane positions = FloatPlane.zeros(20, 13, 1);
        for (int i = 0; i < positions.data().length; i++) {
            positions.data()[i] = i;
        }
        FloatPlane id = new TiledPredictor(new Identity(4, 64, 1, 0), 64, 3).predict(positions);
        assertEquals(19 + 20 * 12, id.get(79, 51), 0);
    }

    @Test
    void reportsProgressPerTile() {
        List<String> events = new ArrayList<>();
        new TiledPredictor(new Identity(1, 16, 1, 0), 32, 4).predict(noise(70, 40, 1, 1),
                (done, total) -> events.add(done + "/" + total));
        assertEquals(List.of("1/6", "2/6", "3/6", "4/6", "5/6", "6/6"), events);
    }

    @Test
    void refusesWrongChannelCount() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new TiledPredictor(new Identity(1, 16, 3, 0), 0, 0).predict(noise(16, 16, 1, 1)));
        assertTrue(e.getMessage().contains("takes 3 channels"));
        assertNotEquals(0, e.getMessage().length());
    }

    static FloatPlane crop(FloatPlane p, int x0, int y0, int w, int h) {
        FloatPlane out = FloatPlane.zeros(w, h, 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.set(x, y, p.get(x0 + x, y0 + y));
            }
        }
        return out;
    }
}
