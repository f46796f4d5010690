package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.crappify.Range;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.net.UNetConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The data recipe: intensity jitter ranges reach the batches, percentiles the normalisation, and the run's description. */
class DataRecipeTest {

    private static TrainingPair constantPair(float hr, float lr) {
        float[] h = new float[64 * 64];
        float[] l = new float[32 * 32];
        Arrays.fill(h, hr);
        Arrays.fill(l, lr);
        return new TrainingPair("c", new FloatPlane(64, 64, h), new FloatPlane(32, 32, l));
    }

    @Test
    void gainAndOffsetRangesAreTheOnesDrawn() {
        DataRecipe fixed = new DataRecipe(BundleSpec.PercentileRange.DEFAULT, Range.of(2), 0);
        Batch b = new PatchSampler(List.of(constantPair(0.5f, 0.25f)), null, 2, 16, 1, fixed).sample(4, new Random(1));
        for (float v : b.target()) {
            assertEquals(1.0f, v, 1e-6f);
        }
        for (float v : b.input()) {
            assertEquals(0.5f, v, 1e-6f);
        }
        DataRecipe wide = new DataRecipe(BundleSpec.PercentileRange.DEFAULT, new Range(0.5, 1.5), 0.2);
        Batch w = new PatchSampler(List.of(constantPair(1f, 1f)), null, 2, 16, 1, wide).sample(64, new Random(2));
        double min = 9;
        double max = -9;
        for (float v : w.target()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= 0.3 - 1e-6 && max <= 1.7 + 1e-6, min + ".." + max);
        assertTrue(min < 0.6 && max > 1.4, "64 draws spread over the range: " + min + ".." + max);
    }

    @Test
    void percentilesSetTheNormalisation() {
        float[] px = new float[1000];
        for (int i = 0; i < px.length; i++) {
            px[i] = i;
        }
        FloatPlane p = new FloatPlane(100, 10, px);
        FloatPlane n = TrainJob.normalise(p, new BundleSpec.PercentileRange(0, 100));
        assertEquals(0, n.data()[0], 1e-6);
        assertEquals(1, n.data()[999], 1e-6);
        FloatPlane d = TrainJob.normalise(p, new BundleSpec.PercentileRange(10, 90));
        assertEquals(0, d.data()[(int) Math.round(0.1 * 999)], 2e-3);
    }

    @Test
    void onlyANonDefaultRecipeChangesTheRunDescription() {
        UNetConfig net = UNetConfig.unetS(2, 1);
        TrainConfig plain = new TrainConfig(net, 16, 2, 3, 1e-3f, 1, 0, 0, 10, 1, 1);
        assertTrue(plain.describe().keySet().stream().noneMatch(k -> k.startsWith("aug") || k.startsWith("norm")),
                "checkpoints of older runs keep resuming: " + plain.describe());
        TrainConfig custom = new TrainConfig(net, 16, 2, 3, 1e-3f, 1, 0, 0, 10, 1, 1,
                new DataRecipe(new BundleSpec.PercentileRange(0.5, 99.5), new Range(0.7, 1.3), 0.1));
        assertEquals("0.5,99.5", custom.describe().get("norm_percentiles"));
        assertEquals("0.7,1.3", custom.describe().get("aug_gain"));
    }

    @Test
    void badRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DataRecipe(BundleSpec.PercentileRange.DEFAULT, new Range(0, 1), 0));
        assertThrows(IllegalArgumentException.class, () -> new DataRecipe(BundleSpec.PercentileRange.DEFAULT, Range.of(1), -0.1));
    }
}
