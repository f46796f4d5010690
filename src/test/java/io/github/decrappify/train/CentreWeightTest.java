package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.net.Params;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link CentreWeight}: noise from the spectrum's outer band, the optimal blend, and folding it into the head. */
class CentreWeightTest {

    /**
     * Smooth "cells": Gaussian blobs of σ 3 px, far below the outer band (optics-like band limit), periodic so that
     * the image's edges add nothing (on real frames they leak little: FMD estimates match frame-pair variances).
     */
    private static FloatPlane smooth(int w, int h, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[w * h];
        for (int b = 0; b < 30; b++) {
            double cx = rng.nextDouble() * w;
            double cy = rng.nextDouble() * h;
            double a = 0.2 + 0.8 * rng.nextDouble();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double dx = Math.min(Math.abs(x - cx), w - Math.abs(x - cx)); // on a torus: no edges
                    double dy = Math.min(Math.abs(y - cy), h - Math.abs(y - cy));
                    double d2 = dx * dx + dy * dy;
                    v[y * w + x] += (float) (a * Math.exp(-d2 / (2 * 9.0)));
                }
            }
        }
        return new FloatPlane(w, h, v);
    }

    private static FloatPlane plus(FloatPlane p, double sd, long seed) {
        Random rng = new Random(seed);
        float[] v = p.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) (sd * rng.nextGaussian());
        }
        return new FloatPlane(p.width(), p.height(), v);
    }

    private static double mse(FloatPlane a, FloatPlane b) {
        double s = 0;
        for (int i = 0; i < a.area(); i++) {
            double d = a.data()[i] - b.data()[i];
            s += d * d;
        }
        return s / a.area();
    }

    @Test
    void theOuterBandOfANoisySmoothImageIsItsNoiseVariance() {
        FloatPlane clean = smooth(200, 150, 1); // not a power of two: Bluestein's transform
        assertTrue(CentreWeight.noiseVariance(clean) < 1e-6, "a band-limited image has no power there: "
                + CentreWeight.noiseVariance(clean));
        for (double sd : new double[] {0.01, 0.05, 0.2}) {
            double v = CentreWeight.noiseVariance(plus(clean, sd, 7));
            assertEquals(sd * sd, v, 0.05 * sd * sd, "noise sd " + sd);
        }
    }

    /** Real confocal frames (FMD, MIT): the estimate from one frame against the noise two frames of one field show. */
    @Test
    void onARealFrameTheEstimateMatchesTheVarianceBetweenTwoFrames() {
        for (String field : new String[] {"11", "15"}) {
            FloatPlane a = frame(field, 0);
            FloatPlane b = frame(field, 1);
            double pair = 0;
            double mean = 0;
            for (int i = 0; i < a.area(); i++) {
                mean += a.data()[i] - b.data()[i];
            }
            mean /= a.area();
            for (int i = 0; i < a.area(); i++) {
                double d = a.data()[i] - b.data()[i] - mean;
                pair += d * d;
            }
            pair /= 2.0 * a.area(); // the difference of two frames holds the noise twice
            assertEquals(pair, CentreWeight.noiseVariance(a), 0.05 * pair, "field " + field);
        }
    }

    private static FloatPlane frame(String field, int k) {
        ij.ImagePlus imp = ij.IJ.openImage("/work/shared/data/real_noise_fmd_confocal_bpae/fov" + field + "_raw" + k + ".png");
        float[] px = (float[]) imp.getProcessor().convertToFloatProcessor().getPixels();
        return new FloatPlane(imp.getWidth(), imp.getHeight(), px);
    }

    @Test
    void theWeightIsOneMinusNoiseOverMeanSquareWithinItsBounds() {
        assertEquals(0.2, CentreWeight.weight(1, 1.25), 1e-12);
        assertEquals(0, CentreWeight.weight(1, 0.8), "an output closer to the input than the noise: nothing put back");
        assertEquals(CentreWeight.MAX, CentreWeight.weight(0, 1), "no measurable noise: the cap");
        assertEquals(0, CentreWeight.weight(1, 0));
        assertEquals(0, CentreWeight.weight(Double.NaN, 1));
    }

    /**
     * A stand-in for a blind-spot output: the clean image plus an error independent of the pixel's noise. The
     * estimated weight is the one that minimises the blend's error against the clean image, and the blend beats
     * the output alone; a perfect output gets (almost) nothing put back.
     */
    @Test
    void theEstimatedWeightIsTheBestBlendAgainstTheCleanImage() {
        FloatPlane clean = smooth(256, 256, 2);
        FloatPlane noisy = plus(clean, 0.1, 3);
        FloatPlane output = plus(clean, 0.05, 4); // error variance 1/4 of the noise: best w = 0.25/1.25 = 0.2
        CentreWeight.Estimate e = CentreWeight.estimate(List.of(noisy), List.of(output));
        assertEquals(0.2, e.weight(), 0.02, e.toString());
        assertEquals(0.01, e.noiseVariance(), 0.0005);
        double best = Double.MAX_VALUE;
        double bestW = -1;
        for (int k = 0; k <= 50; k++) {
            double w = k / 100.0;
            double m = mse(blend(output, noisy, w), clean);
            if (m < best) {
                best = m;
                bestW = w;
            }
        }
        assertEquals(bestW, e.weight(), 0.03, "grid optimum " + bestW);
        assertTrue(mse(blend(output, noisy, e.weight()), clean) < 0.85 * mse(output, clean));
        assertTrue(CentreWeight.estimate(List.of(noisy), List.of(clean)).weight() < 0.03, "a perfect output");
    }

    private static FloatPlane blend(FloatPlane f, FloatPlane y, double w) {
        float[] v = new float[f.area()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((1 - w) * f.data()[i] + w * y.data()[i]);
        }
        return new FloatPlane(f.width(), f.height(), v);
    }

    @Test
    void foldingScalesTheHeadOnly() {
        Params p = new Params();
        p.put("enc0/conv1/w", new Params.Tensor(new long[] {2}, new float[] {1, 2}));
        p.put("head/w", new Params.Tensor(new long[] {2}, new float[] {1, -2}));
        p.put("head/b", new Params.Tensor(new long[] {1}, new float[] {4}));
        Params f = CentreWeight.fold(p, 0.25);
        assertSame(p.get("enc0/conv1/w"), f.get("enc0/conv1/w"));
        assertEquals(0.75f, f.get("head/w").data()[0]);
        assertEquals(-1.5f, f.get("head/w").data()[1]);
        assertEquals(3f, f.get("head/b").data()[0]);
        assertEquals(1f, p.get("head/w").data()[0], "the input is not modified");
        assertThrows(IllegalArgumentException.class, () -> CentreWeight.fold(p, 1));
        assertThrows(IllegalArgumentException.class, () -> CentreWeight.fold(new Params(), 0.1));
    }

    @Test
    void largePlanesAreMeasuredOnTheirCentralSquare() {
        FloatPlane big = plus(smooth(1100, 40, 5), 0.1, 6);
        double v = CentreWeight.noiseVariance(big);
        assertEquals(0.01, v, 0.001);
        assertThrows(IllegalArgumentException.class, () -> CentreWeight.noiseVariance(new FloatPlane(4, 4, new float[16])));
    }
}
