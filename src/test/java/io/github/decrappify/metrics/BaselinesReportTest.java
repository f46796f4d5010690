package io.github.decrappify.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import io.github.decrappify.image.ops.Resample;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselinesReportTest {

    @Test
    void sigmaGridIsZeroToThreeInQuarters() {
        assertEquals(13, Baselines.SIGMAS.length);
        assertEquals(0, Baselines.SIGMAS[0]);
        assertEquals(3, Baselines.SIGMAS[12]);
    }

    @Test
    void noiseFreeBicubicTruthNeedsNoSmoothing() {
        FloatPlane lr = Filters.gaussian(PsnrNrmseTest.random(32, 32, 1), 1);
        FloatPlane truth = Resample.bicubic(lr, 4);
        Baselines.Smoothed best = Baselines.bestSmoothedBicubic(lr, truth, 4, 1);
        assertEquals(0, best.sigma());
        assertEquals(Double.POSITIVE_INFINITY, best.psnr());
        assertEquals(truth, Baselines.bicubic(lr, 4));
    }

    @Test
    void noisyInputIsSmoothedAndBeatsPlainBicubic() {
        FloatPlane truth = Filters.gaussian(PsnrNrmseTest.random(128, 128, 2), 6);
        FloatPlane clean = Resample.areaDown(truth, 4);
        Random r = new Random(3);
        FloatPlane lr = PsnrNrmseTest.map(clean, v -> v + 0.05 * r.nextGaussian());
        Baselines.Smoothed best = Baselines.bestSmoothedBicubic(lr, truth, 4, 1);
        double plain = Psnr.of(truth, Baselines.bicubic(lr, 4), 1);
        assertTrue(best.sigma() > 0, "sigma " + best.sigma());
        assertTrue(best.psnr() > plain + 1, best.psnr() + " vs " + plain);
        assertEquals(best.psnr(), Psnr.of(truth, best.image(), 1), 1e-9);
    }

    @Test
    void reportCombinesTheMetricsAndWritesJson() {
        FloatPlane truth = Filters.gaussian(PsnrNrmseTest.random(64, 64, 4), 2);
        Random r = new Random(5);
        FloatPlane pred = PsnrNrmseTest.map(truth, v -> v + 0.01 * r.nextGaussian());
        MetricReport m = MetricReport.of(truth, pred, 1);
        assertEquals(Psnr.of(truth, pred, 1), m.psnr(), 0);
        assertEquals(Ssim.mean(truth, pred, 1), m.ssim(), 0);
        assertEquals(Nrmse.of(truth, pred), m.nrmse(), 0);
        assertEquals(Frc.compute(truth, pred).resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels(), m.frcPx(), 0);
        assertEquals(Frc.compute(truth, pred).resolution(FrcCurve.Threshold.HALF_BIT).pixels(), m.frcHalfBitPx(), 0);
        assertEquals("{\"psnr\":40.0000,\"ssim\":0.500000,\"nrmse\":0.0100000,\"frc\":3.00000}",
                new MetricReport(40, 0.5, 0.01, 3, 4).toJson());
        assertEquals("{\"psnr\":null,\"ssim\":1.00000,\"nrmse\":0.00000,\"frc\":2.00000}",
                new MetricReport(Double.POSITIVE_INFINITY, 1, 0, 2, 2).toJson());
    }
}
