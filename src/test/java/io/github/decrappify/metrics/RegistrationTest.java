package io.github.decrappify.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.decrappify.image.FloatPlane;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegistrationTest {

    static FloatPlane texture(int w, int h, int ox, int oy) {
        Random r = new Random(3);
        float[] base = new float[(w + 40) * (h + 40)];
        for (int i = 0; i < base.length; i++) {
            base[i] = r.nextFloat();
        }
        float[] d = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // 3x3 box-smoothed noise, sampled at an offset: a known translation.
                float s = 0;
                for (int k = -1; k <= 1; k++) {
                    for (int j = -1; j <= 1; j++) {
                        s += base[(y + 20 - oy + k) * (w + 40) + x + 20 - ox + j];
                    }
                }
                d[y * w + x] = s / 9;
            }
        }
        return new FloatPlane(w, h, d);
    }

    @Test
    void recoversIntegerTranslation() {
        FloatPlane fixed = texture(128, 96, 0, 0);
        FloatPlane moving = texture(128, 96, 5, -3); // moving(x) = fixed(x - 5, y + 3)
        Registration.Shift s = Registration.phaseCorrelation(fixed, moving);
        assertEquals(5, s.dx(), 0.25);
        assertEquals(-3, s.dy(), 0.25);
        FloatPlane[] o = Registration.overlap(fixed, moving, s.roundedX(), s.roundedY(), 2);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.of(o[0], o[1], 1));
    }

    @Test
    void fitIntensityRemovesGainAndOffset() {
        FloatPlane truth = texture(64, 64, 0, 0);
        float[] d = truth.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = 3 * d[i] - 0.7f;
        }
        FloatPlane fitted = Registration.fitIntensity(truth, new FloatPlane(64, 64, d));
        assertEquals(0, Nrmse.of(truth, fitted), 1e-5);
    }
}
