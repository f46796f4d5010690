package io.github.decrappify.bench;

import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.LoadedModel;
import java.nio.file.Path;

/** Manual probe: raw DJL predict time of a bundle on an n² LR input. */
public class InferProbe {
    public static void main(String[] a) throws Exception {
        ModelBundle b = ModelBundle.open(Path.of(a[0]));
        int n = Integer.parseInt(a[1]);
        try (LoadedModel m = LoadedModel.load(b.savedModelDir(), Device.CPU)) {
            float[] in = new float[n * n];
            for (int i = 0; i < in.length; i++) in[i] = (float) Math.random();
            m.predict(in, 1, n, n, 1);
            long best = Long.MAX_VALUE;
            for (int k = 0; k < 5; k++) {
                long t = System.nanoTime();
                m.predict(in, 1, n, n, 1);
                best = Math.min(best, System.nanoTime() - t);
            }
            System.out.printf("%d^2 LR: %.2f output MPix/s (best of 5)%n", n, 16.0 * n * n / (best / 1e9) / 1e6);
        }
    }
}
