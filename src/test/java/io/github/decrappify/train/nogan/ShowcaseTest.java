package io.github.decrappify.train.nogan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.train.TrainingPair;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test tensor and cover need one 64² LR grid cell, even when drift cropping left a smaller field. */
class ShowcaseTest {

    static FloatPlane ramp(int w, int h) {
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return new FloatPlane(w, h, v);
    }

    @Test
    void smallFieldsAreMirrorPaddedToTheGrid() {
        TrainingPair small = new TrainingPair("small", ramp(80, 60), ramp(40, 30));
        FineTuneData.Loaded data = new FineTuneData.Loaded(List.of(small), List.of(new TrainingPair("v", ramp(16, 16),
                ramp(8, 8))), List.of(), List.of(), List.of(), "", true);
        NoGanExport.Request r = new NoGanExport.Request(null, data, null, null, null, 0, "", "", "", "", null, null);
        TrainingPair p = NoGanExport.showcase(r, UNetConfig.unetS(2, 1));
        assertEquals(64, p.lr().width());
        assertEquals(64, p.lr().height());
        assertEquals(128, p.hr().width());
        assertEquals(small.lr().get(39, 29), p.lr().get(39, 29));
        assertEquals(small.lr().get(39, 29), p.lr().get(40, 30), "mirrored at the edge");
        assertEquals(small.lr().get(16, 0), p.lr().get(63, 0), "mirrored");
    }

    @Test
    void largeEnoughImagesAreCroppedNotPadded() {
        TrainingPair big = new TrainingPair("big", ramp(300, 260), ramp(150, 130));
        FineTuneData.Loaded data = new FineTuneData.Loaded(List.of(big), List.of(), List.of(), List.of(), List.of(), "", true);
        NoGanExport.Request r = new NoGanExport.Request(null, data, null, null, null, 0, "", "", "", "", null, null);
        TrainingPair p = NoGanExport.showcase(r, UNetConfig.unetS(2, 1));
        assertEquals(128, p.lr().width());
        assertEquals(big.lr().get(127, 127), p.lr().get(127, 127));
    }
}
