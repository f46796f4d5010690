package io.github.decrappify.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.net.Params;
import io.github.decrappify.net.SavedModelExport;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.tile.TileModel;
import io.github.decrappify.tile.TiledPredictor;
import io.github.decrappify.train.TrainGraph;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiled restore with the real generator in TensorFlow equals whole-image restore: windowed attention
 * (switched on with a non-zero γ) stays on the 64-pixel grid, and the halo absorbs the convolutions'
 * border effects.
 */
class TiledTensorFlowTest {

    @TempDir
    static Path tmp;
    static LoadedModel model;
    static TileModel tileModel;

    @BeforeAll
    static void load() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        UNetConfig cfg = UNetConfig.unetS(2, 1);
        Params weights;
        try (TrainGraph g = new TrainGraph(cfg, null, 11, 0f, 0, false)) {
            weights = TrainGraph.weightsOnly(g.snapshot());
        }
        // Untrained attention has γ = 0 and would not be exercised; give it weight.
        weights.put("attn/gamma", new Params.Tensor(new long[] {1}, new float[] {0.7f}));
        SavedModelExport.export(cfg, weights, tmp.resolve("sm"));
        model = LoadedModel.load(tmp.resolve("sm"), Device.CPU);
        tileModel = new TileModel() {
            @Override
            public int scale() {
                return 2;
            }

            @Override
            public int sizeMultiple() {
                return cfg.sizeMultiple();
            }

            @Override
            public int inputChannels() {
                return 1;
            }

            @Override
            public FloatPlane predict(FloatPlane in) {
                LoadedModel.Output o = model.predict(in.data(), 1, in.height(), in.width(), 1);
                return new FloatPlane(in.width() * 2, in.height() * 2, o.data());
            }
        };
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static FloatPlane texture(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] d = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = (float) (0.5 + 0.3 * Math.sin(x * 0.21) * Math.cos(y * 0.17) + 0.1 * r.nextGaussian());
            }
        }
        return new FloatPlane(w, h, d);
    }

    static double[] maxDiffAndRange(FloatPlane a, FloatPlane b) {
        double max = 0;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
            lo = Math.min(lo, a.data()[i]);
            hi = Math.max(hi, a.data()[i]);
        }
        return new double[] {max, hi - lo};
    }

    @Test
    void tiledEqualsWholeForSeveralTileSizesAndOddImageSizes() {
        for (int[] size : new int[][] {{301, 203}, {197, 330}}) {
            FloatPlane lr = texture(size[0], size[1], size[0]);
            FloatPlane whole = new TiledPredictor(tileModel, 0, 0).predict(lr);
            assertEquals(size[0] * 2, whole.width());
            for (int tile : new int[] {64, 128, 192}) {
                FloatPlane tiled = new TiledPredictor(tileModel, tile, 64).predict(lr);
                double[] d = maxDiffAndRange(whole, tiled);
                assertTrue(d[0] < 1e-3 * d[1], "tile " + tile + " on " + size[0] + "x" + size[1] + ": max diff " + d[0]
                        + " of range " + d[1]);
            }
        }
    }

    @Test
    void tooSmallHaloShowsSeams() {
        FloatPlane lr = texture(256, 256, 5);
        FloatPlane whole = new TiledPredictor(tileModel, 0, 0).predict(lr);
        FloatPlane tiled = new TiledPredictor(tileModel, 64, 0, 0).predict(lr);
        double[] d = maxDiffAndRange(whole, tiled);
        assertTrue(d[0] > 1e-2 * d[1], "without halo tiles should differ: " + d[0] + " of " + d[1]);
    }
}
