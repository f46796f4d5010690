package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.net.Params;
import io.github.decrappify.net.SavedModelExport;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.LoadedModel;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CentreWeight#fold} on the real network run by TensorFlow: the folded x1 model's output is exactly
 * {@code (1 − w)·f(x) + w·x}, with and without the head's blur (the blur is linear too).
 */
class CentreWeightFoldTest {

    @TempDir
    Path tmp;

    @Test
    void theFoldedNetworkIsTheBlendOfItsOutputAndItsInput() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        for (boolean blur : new boolean[] {false, true}) {
            UNetConfig open = UNetConfig.unetS(1, 1);
            UNetConfig cfg = new UNetConfig(1, 1, open.widths(), true, 8, 32, blur);
            Params weights;
            try (TrainGraph g = new TrainGraph(cfg, null, 5, 0f, 0, false)) {
                weights = TrainGraph.weightsOnly(g.snapshot());
            }
            // the initial head is small: make the residual large so that the blend is visible
            float[] head = weights.get("head/w").data();
            for (int i = 0; i < head.length; i++) {
                head[i] *= 200;
            }
            Path plain = tmp.resolve("plain" + blur);
            Path folded = tmp.resolve("folded" + blur);
            SavedModelExport.export(cfg, weights, plain);
            SavedModelExport.export(cfg, CentreWeight.fold(weights, 0.3), folded);
            int n = 64;
            float[] x = new float[n * n];
            Random rng = new Random(3);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (0.5 + 0.2 * rng.nextGaussian());
            }
            float[] f;
            float[] b;
            try (LoadedModel m = LoadedModel.load(plain, Device.CPU)) {
                f = m.predict(x, 1, n, n, 1).data();
            }
            try (LoadedModel m = LoadedModel.load(folded, Device.CPU)) {
                b = m.predict(x, 1, n, n, 1).data();
            }
            double worst = 0;
            double residual = 0;
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(b[i] - (0.7 * f[i] + 0.3 * x[i])));
                residual = Math.max(residual, Math.abs(f[i] - x[i]));
            }
            assertTrue(residual > 0.05, "the network changes its input: " + residual);
            assertTrue(worst < 1e-4, "blur " + blur + ": folded = 0.7 f + 0.3 x, worst difference " + worst);
        }
    }
}
