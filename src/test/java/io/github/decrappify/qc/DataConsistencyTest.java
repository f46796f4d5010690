package io.github.decrappify.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.PresetIO;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import io.github.decrappify.image.ops.Percentiles;
import io.github.decrappify.model.BundleSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The QC map on synthetic truths where the answer is known: a faithful restoration leaves only the LR
 * noise, an invented structure stands out, and what the degradation averages away is (as documented)
 * invisible.
 */
class DataConsistencyTest {

    private static final int HR = 256;
    private static final int S = 4;
    private static final double NOISE = 0.02;

    /** Smooth random "cells": white noise blurred at 6 HR px, normalised to [0, 1] by percentiles. */
    static FloatPlane specimen(long seed) {
        FloatPlane noise = TestTimeAugmentationTest.random(HR, HR, 1, seed);
        return Percentiles.normalise(Filters.gaussian(noise, 6));
    }

    static FloatPlane plusNoise(FloatPlane p, double sigma, long seed) {
        Random r = new Random(seed);
        float[] d = p.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] += (float) (sigma * r.nextGaussian());
        }
        return new FloatPlane(p.width(), p.height(), d);
    }

    /** Adds a bright filament (2 HR px wide, amplitude {@code amp}) along x in [x0, x1) at row y. */
    static FloatPlane withFilament(FloatPlane p, int x0, int x1, int y, double amp) {
        FloatPlane out = p.copy();
        for (int x = x0; x < x1; x++) {
            for (int dy = 0; dy < 2; dy++) {
                out.set(x, y + dy, (float) (out.get(x, y + dy) + amp));
            }
        }
        return out;
    }

    private static double meanOver(FloatPlane map, int x0, int x1, int y0, int y1, boolean inside) {
        double s = 0;
        int n = 0;
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                boolean in = x >= x0 && x < x1 && y >= y0 && y < y1;
                if (in == inside) {
                    s += map.get(x, y);
                    n++;
                }
            }
        }
        return s / n;
    }

    @Test
    void aFaithfulRestorationLeavesOnlyTheNoise() {
        FloatPlane truth = specimen(1);
        DataConsistency qc = new DataConsistency(Presets.em(S));
        FloatPlane clean = qc.degrade(truth);
        FloatPlane lr = plusNoise(clean, NOISE, 2);
        DataConsistency.Result r = qc.check(lr, truth);
        // Analytic: residual = the noise, so RSE = sigma; RSP = sd(signal) / sqrt(var(signal) + sigma^2).
        double var = variance(clean.data());
        assertEquals(NOISE, r.rse(), 0.05 * NOISE);
        assertEquals(Math.sqrt(var / (var + NOISE * NOISE)), r.rsp(), 0.002);
        assertEquals(1, r.gain(), 0.02);
        assertEquals(0, r.offset(), 0.01);
        assertEquals(HR / S, r.errorMap().width());
        // |N(0, s)| has mean s sqrt(2 / pi).
        assertEquals(NOISE * Math.sqrt(2 / Math.PI), mean(r.errorMap().data()), 0.05 * NOISE);
    }

    @Test
    void anInventedFilamentStandsOutInTheMap() {
        FloatPlane truth = specimen(3);
        DataConsistency qc = new DataConsistency(Presets.em(S));
        FloatPlane lr = plusNoise(qc.degrade(truth), NOISE, 4);
        // Invented: a filament 2 HR px wide (half an LR pixel) and 80 HR px long that the LR does not show.
        FloatPlane hallucinated = withFilament(truth, 80, 160, 121, 0.3);
        DataConsistency.Result honest = qc.check(lr, truth);
        DataConsistency.Result r = qc.check(lr, hallucinated);
        // Its LR footprint: columns 20..39, row 30 (HR rows 121-122 both fall in LR row 30).
        double in = meanOver(r.errorMap(), 20, 40, 30, 31, true);
        double out = meanOver(r.errorMap(), 20, 40, 30, 31, false);
        System.out.printf(Locale.ROOT, "QC filament: error inside %.4f, outside %.4f (ratio %.1f); RSE %.4f vs honest %.4f;"
                + " RSP %.4f vs %.4f%n", in, out, in / out, r.rse(), honest.rse(), r.rsp(), honest.rsp());
        // Expected contrast in LR units: 0.3 * 2/4 (two of four rows of the LR pixel) = 0.15, i.e. 7.5 sigma.
        assertEquals(0.15, in, 0.02);
        assertTrue(in > 8 * out, in + " vs " + out);
        // The 20 largest errors of the map all lie on the filament.
        assertEquals(20, countInTopK(r.errorMap(), 20, 20, 40, 30, 31));
        assertTrue(r.rse() > honest.rse() * 1.1, r.rse() + " vs " + honest.rse());
        assertTrue(r.rsp() < honest.rsp());
        // The honest map has no such hot spot there.
        assertTrue(meanOver(honest.errorMap(), 20, 40, 30, 31, true) < 2 * meanOver(honest.errorMap(), 20, 40, 30, 31, false));
    }

    @Test
    void aRemovedStructureStandsOutToo() {
        // The model erases a spot that the LR shows (e.g. a vesicle smoothed away).
        FloatPlane truth = withFilament(withFilament(specimen(5), 100, 116, 100, 0.5), 100, 116, 102, 0.5); // 16x4 HR
        DataConsistency qc = new DataConsistency(Presets.em(S));
        FloatPlane lr = plusNoise(qc.degrade(truth), NOISE, 6);
        DataConsistency.Result r = qc.check(lr, specimen(5));
        double in = meanOver(r.errorMap(), 25, 29, 25, 26, true);
        assertEquals(0.5, in, 0.03); // the whole LR row 25 (HR 100-103) loses 0.5
        assertTrue(in > 10 * meanOver(r.errorMap(), 25, 29, 25, 26, false));
    }

    @Test
    void detailThatAveragesOutWithinAnLrPixelIsInvisible() {
        // The documented limit: a checkerboard of 1-px HR squares has zero mean in every 4x4 block, so no
        // degradation-based check can see it (the TTA spread is the complementary check).
        FloatPlane truth = specimen(7);
        DataConsistency qc = new DataConsistency(Presets.em(S));
        FloatPlane lr = plusNoise(qc.degrade(truth), NOISE, 8);
        FloatPlane textured = truth.copy();
        for (int y = 0; y < HR; y++) {
            for (int x = 0; x < HR; x++) {
                textured.set(x, y, (float) (textured.get(x, y) + ((x + y) % 2 == 0 ? 0.3 : -0.3)));
            }
        }
        assertEquals(qc.check(lr, truth).rse(), qc.check(lr, textured).rse(), 1e-5);
    }

    @Test
    void theModelsOwnBlurMattersAndIsReadFromTheBundle() {
        CrappifierParams fluo = Presets.fluo(S); // blur sigma 2 HR px
        BundleSpec spec = spec("fluo-test", BundleSpec.Modality.FLUO)
                .optCrappifier(PresetIO.toMap(fluo)).build();
        DataConsistency own = DataConsistency.of(spec);
        assertEquals(fluo.blurSigma(), own.degradation().blurSigma());
        assertTrue(own.describe().contains("model's crappifier"), own.describe());
        FloatPlane truth = Percentiles.normalise(Filters.gaussian(TestTimeAugmentationTest.random(HR, HR, 1, 9), 2));
        FloatPlane lr = plusNoise(new Crappifier(fluo).degrade(truth), NOISE, 10);
        DataConsistency.Result right = own.check(lr, truth);
        DataConsistency fallback = DataConsistency.of(spec("no-crappifier", BundleSpec.Modality.FLUO).build());
        assertTrue(fallback.describe().contains("no crappifier recorded"), fallback.describe());
        DataConsistency.Result wrong = fallback.check(lr, truth);
        assertEquals(NOISE, right.rse(), 0.05 * NOISE);
        assertTrue(wrong.rse() > 1.5 * right.rse(), wrong.rse() + " vs " + right.rse());
    }

    @Test
    void gainAndOffsetOfTheInputAreFitted() {
        // A real LR acquisition in detector units: 2000 + 800 x. The map and RSE come out in those units.
        FloatPlane truth = specimen(11);
        DataConsistency qc = new DataConsistency(Presets.em(S));
        float[] d = plusNoise(qc.degrade(truth), NOISE, 12).data();
        for (int i = 0; i < d.length; i++) {
            d[i] = 2000 + 800 * d[i];
        }
        DataConsistency.Result r = qc.check(new FloatPlane(HR / S, HR / S, d), truth);
        assertEquals(800, r.gain(), 16);
        assertEquals(2000, r.offset(), 10);
        assertEquals(800 * NOISE, r.rse(), 0.05 * 800 * NOISE);
    }

    @Test
    void mismatchedSizesAreRefused() {
        DataConsistency qc = new DataConsistency(Presets.em(S));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> qc.check(FloatPlane.zeros(10, 10, 1), FloatPlane.zeros(20, 20, 1)));
        assertTrue(e.getMessage().contains("4 x the LR"), e.getMessage());
        BundleSpec bad = spec("bad", BundleSpec.Modality.EM)
                .optCrappifier(PresetIO.toMap(Presets.em(2))).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataConsistency.of(bad)).getMessage()
                .contains("crappifier scale 2"));
    }

    private static BundleSpec.Builder spec(String name, BundleSpec.Modality modality) {
        return BundleSpec.builder(name, S, modality).optAuthors(java.util.List.of(new BundleSpec.Author("Test", null))).optLicense("CC-BY-4.0");
    }

    private static int countInTopK(FloatPlane map, int k, int x0, int x1, int y0, int y1) {
        float[] sorted = map.data().clone();
        Arrays.sort(sorted);
        float threshold = sorted[sorted.length - k];
        int count = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (map.get(x, y) >= threshold) {
                    count++;
                }
            }
        }
        return count;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s / v.length;
    }

    private static double variance(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float f : v) {
            s += (f - m) * (f - m);
        }
        return s / v.length;
    }
}
