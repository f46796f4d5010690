package io.github.decrappify.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.crappify.PoissonSampler;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Resample;
import io.github.decrappify.train.Crops;
import io.github.decrappify.train.TrainJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The forward-model registration of LR/HR pairs on real content: known sub-pixel shifts and the real SR-CACO-2 ×4 pair. */
class LrToHrTest {

    static final Path GERHARD = Path.of("../shared/data/cardona_ssTEM_L3_vnc_gerhard2013/stack1_raw/03.tif");
    static final Path CACO = Path.of("../shared/data/real_pairs_sr_caco2_top");

    static FloatPlane plane(Path f) {
        ImagePlus imp = IJ.openImage(f.toString());
        return new FloatPlane(imp.getWidth(), imp.getHeight(), (float[]) imp.getProcessor().convertToFloatProcessor().getPixels());
    }

    /** Poisson counts at {@code peak} photons for intensity 1, scaled back. */
    static FloatPlane poisson(FloatPlane p, double peak, long seed) {
        Random rng = new Random(seed);
        float[] d = new float[p.data().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (PoissonSampler.sample(Math.max(0, p.data()[i]) * peak, rng) / peak);
        }
        return new FloatPlane(p.width(), p.height(), d);
    }

    /**
     * A 1024² EM section is the scene; HR = its 4×4 area average, LR = the 16×16 area average of the scene moved by
     * whole scene pixels, i.e. quarter HR pixels: the shift is exact, not made with the estimator's interpolation.
     * Both noisy (Poisson, 100 and 20 photons at full scale). Phase correlation with the bicubic LR is shown alongside.
     */
    @Test
    void recoversKnownSubPixelShiftsOfRealContent() {
        assumeTrue(Files.isRegularFile(GERHARD), "shared data present");
        FloatPlane scene = TrainJob.normalise(plane(GERHARD));
        int[][] shifts = {{27, -6}, {-10, 13}, {5, 2}, {-3, -17}, {0, 9}};
        int size = 896;
        int o = 64;
        for (int[] s : shifts) {
            FloatPlane hr = poisson(Resample.areaDown(Crops.crop(scene, o, o, size, size), 4), 100, 1);
            FloatPlane lr = poisson(Resample.areaDown(Crops.crop(scene, o + s[0], o + s[1], size, size), 16), 20, 2);
            // The LR shows the scene s/4 HR px further on: HR x matches upsampled LR x - s/4.
            double ex = -s[0] / 4.0;
            double ey = -s[1] / 4.0;
            Registration.Shift m = Registration.lrToHr(hr, lr, 4);
            Registration.Shift pc = Registration.phaseCorrelation(hr, Resample.bicubic(lr, 4));
            String what = "expected " + ex + ", " + ey + "; measured " + m + "; phase correlation " + pc;
            System.out.println(what);
            assertEquals(ex, m.dx(), 0.25, what);
            assertEquals(ey, m.dy(), 0.25, what);
        }
    }

    /**
     * The real SR-CACO-2 ×4 pair (div1/div4, top half). An independent least-squares forward-model fit (scipy, cubic
     * shift, 4×4 area average, affine intensity) gives dx = -6.75, dy = 1.0 on the whole field and -7.0, 1.5 on the
     * training crop (LR columns 34:128); phase correlation with the bicubic LR gave -4.07, 2.14 on that crop and
     * -5.37, 0.76 on the held-out crop (LR columns 0:32). The drift is not one translation over the field: along x,
     * strips of 32 LR columns measure -6.2, 0.7 / -6.8, 1.15 / -7.1, 1.9 (a ~0.3% scale and ~0.25° rotation between
     * the scans; the last strip is empty background), so the two crops differ by 0.75 HR px in each axis.
     */
    @Test
    void realCaco2CropsAgree() {
        assumeTrue(Files.isRegularFile(CACO.resolve("div1_top.tif")), "shared data present");
        FloatPlane hr = TrainJob.normalise(plane(CACO.resolve("div1_top.tif")));
        FloatPlane lr = TrainJob.normalise(plane(CACO.resolve("div4_top.tif")));
        Registration.Shift whole = Registration.lrToHr(hr, lr, 4);
        Registration.Shift train = Registration.lrToHr(Crops.crop(hr, 136, 0, 376, 256), Crops.crop(lr, 34, 0, 94, 64), 4);
        Registration.Shift held = Registration.lrToHr(Crops.crop(hr, 0, 0, 128, 256), Crops.crop(lr, 0, 0, 32, 64), 4);
        String what = "whole " + whole + ", training crop " + train + ", held-out crop " + held;
        System.out.println(what);
        assertEquals(-6.75, whole.dx(), 0.25, what);
        assertEquals(1.0, whole.dy(), 0.25, what);
        assertEquals(-7.0, train.dx(), 0.25, what);
        assertEquals(1.5, train.dy(), 0.25, what);
        for (Registration.Shift s : new Registration.Shift[] {train, held}) {
            assertEquals(whole.dx(), s.dx(), 0.5, what);
            assertEquals(whole.dy(), s.dy(), 0.5, what);
        }
        assertTrue(Math.hypot(train.dx() - held.dx(), train.dy() - held.dy()) < 1.2, what);

        // evaluate --register uses the same estimate: the held-out crop, scored with its bicubic as the prediction.
        FloatPlane h = Crops.crop(hr, 0, 0, 128, 256);
        FloatPlane l = Crops.crop(lr, 0, 0, 32, 64);
        PairEvaluation.Row row = PairEvaluation.evaluate("held", Resample.bicubic(l, 4), h, l,
                new PairEvaluation.Options(4, true, true, 8));
        assertEquals(held.dx(), row.shift().dx(), 0.15, row.shift().toString());
        assertEquals(held.dy(), row.shift().dy(), 0.15, row.shift().toString());
    }
}
