package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.image.FloatPlane;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PatchSamplerTest {

    @Test
    void realPairsGetNoSyntheticNoiseEvenWhenAPresetExists() {
        float[] d = new float[80 * 80];
        Random r = new Random(1);
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat();
        }
        FloatPlane plane = new FloatPlane(80, 80, d);
        // LR = HR: any added noise would make the input differ from the target.
        PatchSampler s = new PatchSampler(List.of(new TrainingPair("p", plane, plane)),
                TrainJob.degrader(new Crappifier(Presets.fluo(1))), 1, 16, 1);
        Batch b = s.sample(4, new Random(3));
        assertEquals(4 * 16 * 16, b.target().length);
        assertArrayEquals(b.target(), b.input(), 0f);
        float[] unique = b.target().clone();
        Arrays.sort(unique);
        assertEquals(true, unique[0] != unique[unique.length - 1], "real crops, not a constant");
    }
}
