package io.github.decrappify.image.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FftTest {

    @Test
    void matchesTheDefinitionForPowerOfTwoAndOtherLengths() {
        Random r = new Random(4);
        for (int n : new int[] {1, 2, 8, 12, 17, 100, 256}) {
            double[] re = new double[n];
            double[] im = new double[n];
            for (int i = 0; i < n; i++) {
                re[i] = r.nextGaussian();
                im[i] = r.nextGaussian();
            }
            double[] fr = re.clone();
            double[] fi = im.clone();
            Fft.forward(fr, fi);
            for (int k = 0; k < n; k++) {
                double sr = 0;
                double si = 0;
                for (int t = 0; t < n; t++) {
                    double a = -2 * Math.PI * k * t / n;
                    sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
                    si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
                }
                assertEquals(sr, fr[k], 1e-9 * n, "n=" + n + " k=" + k);
                assertEquals(si, fi[k], 1e-9 * n);
            }
            Fft.inverse(fr, fi);
            for (int i = 0; i < n; i++) {
                assertEquals(re[i], fr[i], 1e-9);
                assertEquals(im[i], fi[i], 1e-9);
            }
        }
    }

    @Test
    void twoDimensionalTransformOfAPlaneWave() {
        int w = 12;
        int h = 8;
        double[] re = new double[w * h];
        double[] im = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                re[y * w + x] = Math.cos(2 * Math.PI * (3.0 * x / w + 1.0 * y / h));
            }
        }
        Fft.forward2d(re, im, w, h);
        // A cosine puts N/2 at (3, 1) and at (-3, -1) = (w-3, h-1); nothing elsewhere.
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean peak = (x == 3 && y == 1) || (x == w - 3 && y == h - 1);
                assertEquals(peak ? w * h / 2.0 : 0, re[y * w + x], 1e-9);
                assertEquals(0, im[y * w + x], 1e-9);
            }
        }
    }
}
