package io.github.decrappify.crappify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Percentiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * NoiseFit on real confocal noise (FMD, Zhang et al. 2019, fields 11-20, 5 raw frames each): the fit
 * from the raw frames alone is compared with noise measured directly, binned by the 50-frame average:
 * (1) raw - average, (2) differences of consecutive raw frames. The two direct measurements disagree:
 * raw - average is spatially correlated (neighbour correlation ~0.2, vs ~0.0 for frame differences) and
 * ~25 % larger, so the average is not the raw frames' noise-free signal (drift or bleaching over 50 frames);
 * frame differences are the cleaner reference.
 */
class NoiseFitFmdTest {

    private static final Path DIR = Path.of("/work/shared/data/real_noise_fmd_confocal_bpae");
    private static final int FRAMES = 5;

    static FloatPlane open(Path p) {
        ImagePlus imp = IJ.openImage(p.toString());
        float[] d = (float[]) imp.getProcessor().convertToFloatProcessor().getPixels();
        return new FloatPlane(imp.getWidth(), imp.getHeight(), d);
    }

    /** Per-bin sums of a noise sample, binned by the normalised average intensity. */
    private static final class Direct {
        final int bins = NoiseFit.BINS;
        final double[] meanSum = new double[bins];
        final double[] sum = new double[bins];
        final double[] sum2 = new double[bins];
        final int[] count = new int[bins];
        final int[] clipped = new int[bins];

        void add(double m, double noise, boolean isClipped) {
            if (!(m >= 0 && m < 1)) {
                return;
            }
            int b = (int) (m * bins);
            meanSum[b] += m;
            sum[b] += noise;
            sum2[b] += noise * noise;
            count[b]++;
            clipped[b] += isClipped ? 1 : 0;
        }

        /** Bins with variance divided by {@code gain}, the variance of the sample per unit noise variance. */
        List<NoiseFit.Bin> bins(double gain) {
            List<NoiseFit.Bin> out = new ArrayList<>();
            for (int b = 0; b < bins; b++) {
                if (count[b] > 0) {
                    double mu = sum[b] / count[b];
                    double var = (sum2[b] / count[b] - mu * mu) / gain;
                    boolean used = count[b] >= NoiseFit.MIN_COUNT && clipped[b] <= 0.01 * count[b];
                    out.add(new NoiseFit.Bin(meanSum[b] / count[b], var, count[b], used));
                }
            }
            return out;
        }
    }

    @Test
    void fitFromRawFramesMatchesDirectlyMeasuredNoise() {
        assumeTrue(Files.isDirectory(DIR), "FMD data not present");
        List<FloatPlane> raws = new ArrayList<>();
        Direct minusAverage = new Direct();
        Direct frameDiff = new Direct();
        for (int fov = 11; fov <= 20; fov++) {
            float[] gt = open(DIR.resolve("fov" + fov + "_gt_avg50.png")).data();
            List<FloatPlane> frames = new ArrayList<>();
            for (int k = 0; k < FRAMES; k++) {
                frames.add(open(DIR.resolve("fov" + fov + "_raw" + k + ".png")));
            }
            raws.addAll(frames);
            for (int k = 0; k < FRAMES; k++) {
                float[] raw = frames.get(k).data();
                float[] next = frames.get((k + 1) % FRAMES).data();
                // Same affine map for every image of the comparison: the raw frame's percentiles, as fit() uses.
                double[] q = Percentiles.range(raw, Percentiles.LOW, Percentiles.HIGH);
                double s = 1 / (q[1] - q[0]);
                for (int i = 0; i < gt.length; i++) {
                    double m = (gt[i] - q[0]) * s;
                    boolean clip = raw[i] <= 0 || raw[i] >= 255 || next[i] <= 0 || next[i] >= 255;
                    minusAverage.add(m, (raw[i] - gt[i]) * s, clip);
                    frameDiff.add(m, (raw[i] - next[i]) * s, clip);
                }
            }
        }
        // The raw frame is one of the 50 averaged: var(raw - mean50) = 0.98 var(raw); var(raw1 - raw2) = 2 var(raw).
        List<NoiseFit.Bin> direct = minusAverage.bins(0.98);
        List<NoiseFit.Bin> pairs = frameDiff.bins(2);
        NoiseFit.Result directFit = NoiseFit.fitLine(direct);
        NoiseFit.Result pairFit = NoiseFit.fitLine(pairs);
        NoiseFit.Result fitted = NoiseFit.fit(raws);

        print("fit from raw frames ", fitted);
        print("direct raw - avg50  ", directFit);
        print("direct frame pairs  ", pairFit);
        double worstPair = 0;
        double worstDirect = 0;
        for (int i = 0; i < pairs.size(); i++) {
            NoiseFit.Bin p = pairs.get(i);
            NoiseFit.Bin d = direct.get(i);
            if (!p.used() || p.mean() < 0.1) {
                continue;
            }
            double relPair = fitted.variance(p.mean()) / p.variance() - 1;
            double relDirect = fitted.variance(d.mean()) / d.variance() - 1;
            System.out.printf(Locale.ROOT, "  mean %.3f n=%6d  fitted %.5f  frame pairs %.5f (%+5.1f %%)  raw-avg %.5f (%+5.1f %%)%n",
                    p.mean(), p.count(), fitted.variance(p.mean()), p.variance(), 100 * relPair, d.variance(), 100 * relDirect);
            worstPair = Math.max(worstPair, Math.abs(relPair));
            worstDirect = Math.max(worstDirect, Math.abs(relDirect));
        }
        System.out.printf(Locale.ROOT, "  worst deviation over bins with mean >= 0.1: frame pairs %.1f %%, raw-avg %.1f %%%n",
                100 * worstPair, 100 * worstDirect);
        assertEquals(pairFit.a(), fitted.a(), 0.15 * pairFit.a());
        assertEquals(pairFit.variance(0.5), fitted.variance(0.5), 0.1 * pairFit.variance(0.5));
    }

    private static void print(String what, NoiseFit.Result r) {
        System.out.printf(Locale.ROOT, "FMD %s a=%.5f b=%.6f  -> peak %.1f photons, gaussian sigma %.4f, var(0.5)=%.5f%n",
                what, r.a(), r.b(), r.peak(), r.gaussianSigma(), r.variance(0.5));
    }
}
