package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The blind-spot invariants, on position-valued patches (pixel i holds the value i), so a replaced
 * value names the pixel it was copied from.
 */
class BlindSpotMaskerTest {

    private static float[] positions(int w, int h) {
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        return p;
    }

    @Test
    void masksOnePixelPerCellAtTheRequestedFraction() {
        BlindSpotMasker m = new BlindSpotMasker(0.016, 2);
        assertEquals(8, m.cell());
        BlindSpotMasker.Masked r = m.apply(positions(64, 64), 64, 64, new Random(1));
        assertEquals(64, r.count());
        assertEquals(64, m.count(64, 64));
        double sum = 0;
        for (float v : r.mask()) {
            sum += v;
        }
        assertEquals(64, sum, 0, "mask sum = masked pixels");
        assertTrue(64.0 / (64 * 64) <= 0.016, "at most the requested fraction when the cell divides the patch");
        int[][] perCell = new int[8][8];
        for (int i = 0; i < r.mask().length; i++) {
            if (r.mask()[i] == 1) {
                perCell[(i / 64) / 8][(i % 64) / 8]++;
            }
        }
        for (int[] row : perCell) {
            assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, row, "exactly one masked pixel per 8x8 cell");
        }
        // N2V's 0.2 %: one pixel per 23x23 cell; 2 %: one per 8x8.
        assertEquals(23, new BlindSpotMasker(0.002, 2).cell());
        assertEquals(8, new BlindSpotMasker(0.02, 2).cell());
        // Edge cells narrower than g still get their pixel: 13x7 with g=4 -> 4x2 cells.
        assertEquals(8, new BlindSpotMasker(1 / 16.0, 2).apply(positions(13, 7), 13, 7, new Random(2)).count());
    }

    @Test
    void aReplacementIsNeverThePixelItselfAndComesFromTheWindowInsideThePatch() {
        BlindSpotMasker m = new BlindSpotMasker(0.25, 2); // g = 2: many masked pixels touch the borders
        int[][] sizes = {{64, 64}, {13, 7}, {3, 3}, {1, 5}, {2, 1}};
        Set<String> offsets = new HashSet<>();
        for (int[] s : sizes) {
            int w = s[0];
            int h = s[1];
            float[] patch = positions(w, h);
            for (int seed = 0; seed < 200; seed++) {
                BlindSpotMasker.Masked r = m.apply(patch, w, h, new Random(seed));
                for (int i = 0; i < patch.length; i++) {
                    if (r.mask()[i] == 0) {
                        assertEquals(patch[i], r.input()[i], 0, "unmasked pixels are unchanged");
                        continue;
                    }
                    assertEquals(1, r.mask()[i], 0);
                    int src = (int) r.input()[i];
                    assertTrue(src >= 0 && src < patch.length && src == r.input()[i], "a value of the patch");
                    int dx = src % w - i % w;
                    int dy = src / w - i / w;
                    assertFalse(dx == 0 && dy == 0, "pixel " + i + " copied itself (" + w + "x" + h + ", seed " + seed + ")");
                    assertTrue(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, "offset " + dx + "," + dy + " outside the 5x5 window");
                    if (w == 64) {
                        offsets.add(dx + "," + dy);
                    }
                }
            }
        }
        assertEquals(24, offsets.size(), "every offset of the 5x5 window except the centre occurs: " + offsets);
    }

    @Test
    void replacementsReadTheOriginalPatchWhichIsLeftUntouched() {
        // g = 2, radius 1: neighbouring masked pixels are common; a copy of a copy would show up as a
        // source outside the 3x3 window.
        BlindSpotMasker m = new BlindSpotMasker(0.25, 1);
        float[] patch = positions(16, 16);
        float[] before = patch.clone();
        for (int seed = 0; seed < 100; seed++) {
            BlindSpotMasker.Masked r = m.apply(patch, 16, 16, new Random(seed));
            for (int i = 0; i < patch.length; i++) {
                if (r.mask()[i] == 1) {
                    int src = (int) r.input()[i];
                    assertTrue(Math.abs(src % 16 - i % 16) <= 1 && Math.abs(src / 16 - i / 16) <= 1);
                }
            }
        }
        assertArrayEquals(before, patch, 0);
    }

    @Test
    void sameSeedSameMaskOtherSeedOtherMask() {
        BlindSpotMasker m = new BlindSpotMasker(0.016, 2);
        float[] patch = positions(64, 64);
        BlindSpotMasker.Masked a = m.apply(patch, 64, 64, new Random(7));
        BlindSpotMasker.Masked b = m.apply(patch, 64, 64, new Random(7));
        BlindSpotMasker.Masked c = m.apply(patch, 64, 64, new Random(8));
        assertArrayEquals(a.input(), b.input(), 0);
        assertArrayEquals(a.mask(), b.mask(), 0);
        assertFalse(Arrays.equals(a.mask(), c.mask()), "another seed masks other pixels");
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals("the masked fraction must be in (0, 0.25], got 0.5",
                assertThrows(IllegalArgumentException.class, () -> new BlindSpotMasker(0.5, 2)).getMessage());
        assertEquals("the masked fraction must be in (0, 0.25], got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new BlindSpotMasker(0, 2)).getMessage());
        assertEquals("the neighbourhood radius must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new BlindSpotMasker(0.01, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BlindSpotMasker(0.01, 2).apply(new float[1], 1, 1, new Random()));
        assertThrows(IllegalArgumentException.class, () -> new BlindSpotMasker(0.01, 2).apply(new float[5], 2, 2, new Random()));
    }
}
