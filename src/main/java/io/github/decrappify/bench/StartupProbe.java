package io.github.decrappify.bench;

import ai.djl.engine.Engine;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.util.Locale;

/**
 * Child process of the bench: a cold start, as a user's first {@code decrappify restore} has it. Prints
 * {@code runtime_s} (TensorFlow natives + DJL engine), {@code model_s} (bundle opened and SavedModel
 * loaded) and {@code first_run_s} (first 256x256 LR prediction, graph warm-up included).
 */
public final class StartupProbe {
    private StartupProbe() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        long t0 = System.nanoTime();
        TensorFlowNatives.prepare(Device.CPU);
        Engine.getEngine("TensorFlow");
        long t1 = System.nanoTime();
        ModelBundle bundle = ModelStore.standard(null).resolve(args[0]);
        try (BundleModel m = BundleModel.load(bundle, Device.CPU)) {
            long t2 = System.nanoTime();
            float[] d = new float[256 * 256];
            for (int i = 0; i < d.length; i++) {
                d[i] = (i % 256) / 256f;
            }
            m.predict(new FloatPlane(256, 256, d));
            long t3 = System.nanoTime();
            System.out.println(String.format(Locale.ROOT, "runtime_s=%.4f model_s=%.4f first_run_s=%.4f", (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, (t3 - t2) / 1e9));
        }
    }
}
