package io.github.decrappify.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import io.github.decrappify.train.Batch;
import io.github.decrappify.train.TrainGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UNetTest {

    @BeforeAll
    static void natives() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
    }

    @Test
    void unetSHasDocumentedSizeAndShapes() {
        UNetConfig cfg = UNetConfig.unetS(4, 1);
        assertEquals(64, cfg.sizeMultiple());
        try (TrainGraph g = new TrainGraph(cfg, null, 1, 0f, 2, false)) {
            Params w = TrainGraph.weightsOnly(g.snapshot());
            assertEquals(expectedUnetSCount(4), w.count(), "unet-s x4 parameter count");
            float[] out = g.predict(new float[64 * 128], 1, 64, 128);
            assertEquals(256 * 512, out.length);
        }
    }

    /** Parameter count derived by hand from design.md's description of unet-s. */
    private static long expectedUnetSCount(int scale) {
        int[] widths = {32, 64, 128, 256};
        long n = 9 * 32 + 32; // stem
        for (int w : widths) {
            n += 2 * (9L * w * w + w); // residual block
        }
        for (int i = 0; i < 3; i++) {
            n += 9L * widths[i] * widths[i + 1] + widths[i + 1]; // stride-2 conv
        }
        n += 2 * (256 * 32 + 32) + 256 * 256 + 256 + 1; // q, k, v, gamma
        for (int i = 2; i >= 0; i--) {
            long w = widths[i];
            long wn = widths[i + 1];
            n += wn * 4 * w + 4 * w + 9 * 2 * w * w + w + 9 * w * w + w; // up 1x1, conv1, conv2
        }
        return n + 9L * 32 * scale * scale + (long) scale * scale; // head
    }

    @Test
    void untrainedNetworkIsBicubicOfInput() {
        // gamma=0, small head init: the untrained model starts close to its bicubic global residual.
        UNetConfig cfg = UNetConfig.unetS(2, 1);
        Random r = new Random(3);
        float[] in = new float[64 * 64];
        for (int i = 0; i < in.length; i++) {
            in[i] = 0.5f;
        }
        try (TrainGraph g = new TrainGraph(cfg, null, 1, 0f, 2, false)) {
            float[] out = g.predict(in, 1, 64, 64);
            double maxDev = 0;
            for (float v : out) {
                maxDev = Math.max(maxDev, Math.abs(v - 0.5));
            }
            assertTrue(maxDev < 0.5, "max deviation " + maxDev);
        }
    }

    /**
     * At scale 1 the head has no 2×2 blur by default, so the residual can reach the finest
     * frequencies (pixel noise). Measured on the untrained network's residual: the share of its
     * energy in the top band (|f| ≥ 0.4 cycles/pixel on both axes) with and without the blur.
     */
    @Test
    void scaleOneResidualReachesTheFinestFrequencies() {
        UNetConfig open = UNetConfig.unetS(1, 1);
        assertTrue(!open.headBlur() && UNetConfig.unetS(4, 1).headBlur(), "default head: blur only when upsampling");
        UNetConfig blurred = new UNetConfig(1, 1, open.widths(), true, 8, 32, true);
        Random r = new Random(5);
        float[] in = new float[64 * 64];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) r.nextDouble();
        }
        double withBlur = topBandShare(blurred, in);
        double without = topBandShare(open, in);
        // The blur's response there is at most cos²(0.4π) = 0.095 per axis (power ≤ 1e-4 in the corner).
        assertTrue(withBlur < 0.002, "top-band share with the blur " + withBlur);
        assertTrue(without > 20 * withBlur && without > 0.01, "top-band share without the blur " + without + " vs " + withBlur);
    }

    private static double topBandShare(UNetConfig cfg, float[] in) {
        int n = 64;
        try (TrainGraph g = new TrainGraph(cfg, null, 1, 0f, 2, false)) {
            float[] out = g.predict(in, 1, n, n);
            double[] res = new double[n * n];
            for (int i = 0; i < res.length; i++) {
                res[i] = out[i] - in[i];
            }
            double top = 0;
            double all = 0;
            for (int u = 0; u < n; u++) {
                for (int v = 0; v < n; v++) {
                    double re = 0;
                    double im = 0;
                    for (int y = 0; y < n; y++) {
                        for (int x = 0; x < n; x++) {
                            double a = -2 * Math.PI * ((double) u * y + (double) v * x) / n;
                            re += res[y * n + x] * Math.cos(a);
                            im += res[y * n + x] * Math.sin(a);
                        }
                    }
                    double p = re * re + im * im;
                    all += p;
                    double fu = Math.min(u, n - u) / (double) n;
                    double fv = Math.min(v, n - v) / (double) n;
                    if (fu >= 0.4 && fv >= 0.4) {
                        top += p;
                    }
                }
            }
            return top / all;
        }
    }

    @Test
    void trainingReducesLossAndExportMatchesTrainingGraph(@TempDir Path tmp) throws Exception {
        UNetConfig cfg = UNetConfig.unetS(2, 1);
        Random r = new Random(7);
        int n = 4, h = 64, w = 64, s = 2;
        // Target: a fixed smooth pattern; input: its 2x box-downsampled copy. Learnable quickly.
        float[] target = new float[n * h * s * w * s];
        float[] input = new float[n * h * w];
        for (int b = 0; b < n; b++) {
            double fx = 0.05 + 0.1 * r.nextDouble();
            for (int y = 0; y < h * s; y++) {
                for (int x = 0; x < w * s; x++) {
                    target[(b * h * s + y) * w * s + x] = (float) (0.5 + 0.4 * Math.sin(fx * x) * Math.cos(fx * 0.7 * y));
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float sum = 0;
                    for (int dy = 0; dy < s; dy++) {
                        for (int dx = 0; dx < s; dx++) {
                            sum += target[(b * h * s + y * s + dy) * w * s + x * s + dx];
                        }
                    }
                    input[(b * h + y) * w + x] = sum / (s * s);
                }
            }
        }
        Batch batch = new Batch(input, target, n, h, w, 1, s);
        try (TrainGraph g = new TrainGraph(cfg, null, 1, 0.1f, 2, false)) {
            float first = g.step(batch, 1e-4f, 1).l1();
            float last = first;
            for (int i = 2; i <= 40; i++) {
                last = g.step(batch, 3e-4f, i).l1();
            }
            assertTrue(Float.isFinite(last) && last < 0.7 * first, "L1 " + first + " -> " + last);
            float[] expected = g.predict(input, n, h, w);
            Path dir = tmp.resolve("sm");
            SavedModelExport.export(cfg, TrainGraph.weightsOnly(g.snapshot()), dir);
            assertTrue(Files.exists(dir.resolve("saved_model.pb")));
            Criteria<NDList, NDList> c = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(dir)
                    .optEngine("TensorFlow").optTranslator(new NoopTranslator()).build();
            try (ZooModel<NDList, NDList> m = c.loadModel(); Predictor<NDList, NDList> p = m.newPredictor();
                    var mgr = m.getNDManager().newSubManager()) {
                float[] got = p.predict(new NDList(mgr.create(input, new Shape(n, h, w, 1)))).singletonOrThrow().toFloatArray();
                assertArrayEquals(expected, got, 1e-4f);
            }
        }
    }

    /**
     * {@code residualHighpass}: the same weights give the same detail, but the residual's coarse part
     * (what showed as a glow around nuclei on a real confocal pair) is gone, and the option is recorded.
     */
    @Test
    void residualHighpassRemovesTheResidualsCoarsePartAndKeepsItsDetail() {
        UNetConfig plain = new UNetConfig(2, 1, new int[] {8, 16}, false, 8, 8);
        UNetConfig hp = plain.withResidualHighpass(2);
        assertEquals(2.0, hp.describe().get("residual_highpass_sigma"));
        assertTrue(!plain.describe().containsKey("residual_highpass_sigma"), "not recorded when off");
        int n = 64;
        Random r = new Random(9);
        float[] in = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                in[y * n + x] = (float) (0.3 + 0.4 * Math.exp(-((x - 20) * (x - 20) + (y - 30) * (y - 30)) / 60.0)
                        + 0.05 * r.nextGaussian());
            }
        }
        float[] out0;
        float[] out1;
        Params w;
        try (TrainGraph g = new TrainGraph(plain, null, 4, 0f, 1, false)) {
            out0 = g.predict(in, 1, n, n);
            w = TrainGraph.weightsOnly(g.snapshot());
        }
        try (TrainGraph g = new TrainGraph(hp, w, 4, 0f, 1, false)) {
            out1 = g.predict(in, 1, n, n);
        }
        io.github.decrappify.image.FloatPlane up = io.github.decrappify.image.ops.Resample.bicubic(
                new io.github.decrappify.image.FloatPlane(n, n, in), 2);
        int m = 2 * n;
        float[] r0 = new float[m * m];
        float[] r1 = new float[m * m];
        for (int i = 0; i < r0.length; i++) {
            r0[i] = out0[i] - up.get(i % m, i / m);
            r1[i] = out1[i] - up.get(i % m, i / m);
        }
        double[] coarse0 = bands(r0, m);
        double[] coarse1 = bands(r1, m);
        assertTrue(coarse0[0] > 1e-6, "the untrained residual has a coarse part to remove: " + coarse0[0]);
        assertTrue(coarse1[0] < 0.05 * coarse0[0], "coarse energy " + coarse1[0] + " vs " + coarse0[0]);
        assertEquals(coarse0[1], coarse1[1], 0.1 * coarse0[1], "fine detail (above 1/(2 sigma)) kept");
    }

    /** Energy of the residual's Gaussian(σ 8) low-pass, and of what a σ 1 Gaussian removes, inside a 16-px margin. */
    private static double[] bands(float[] res, int m) {
        io.github.decrappify.image.FloatPlane p = new io.github.decrappify.image.FloatPlane(m, m, res);
        io.github.decrappify.image.FloatPlane lo = io.github.decrappify.image.ops.Filters.gaussian(p, 8);
        io.github.decrappify.image.FloatPlane s1 = io.github.decrappify.image.ops.Filters.gaussian(p, 1);
        double a = 0;
        double b = 0;
        for (int y = 16; y < m - 16; y++) {
            for (int x = 16; x < m - 16; x++) {
                a += lo.get(x, y) * (double) lo.get(x, y);
                double d = p.get(x, y) - s1.get(x, y);
                b += d * d;
            }
        }
        return new double[] {a, b};
    }
}
