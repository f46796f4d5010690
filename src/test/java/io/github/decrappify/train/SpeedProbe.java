package io.github.decrappify.train;

import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.util.Random;

/** Manual probe (not a test): training steps/s of unet-s ×4, batch 8, 128² HR. */
public class SpeedProbe {
    public static void main(String[] a) throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        int s = 4, n = 8, lr = 32;
        Random r = new Random(1);
        float[] in = new float[n * lr * lr];
        float[] t = new float[n * lr * s * lr * s];
        for (int i = 0; i < in.length; i++) in[i] = r.nextFloat();
        for (int i = 0; i < t.length; i++) t[i] = r.nextFloat();
        Batch b = new Batch(in, t, n, lr, lr, 1, s);
        try (TrainGraph g = new TrainGraph(UNetConfig.unetS(4, 1), null, 1, Float.parseFloat(a.length > 0 ? a[0] : "0"), 0, false)) {
            for (int i = 1; i <= 20; i++) g.step(b, 1e-4f, i);
            long t0 = System.nanoTime();
            for (int i = 21; i <= 220; i++) g.step(b, 1e-4f, i);
            System.out.printf("steps/s %.2f%n", 200 / ((System.nanoTime() - t0) / 1e9));
        }
    }
}
