package io.github.decrappify.net;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.decrappify.runtime.Precision;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A 3-frame unet-s gives the same output in a bf16 session as in fp32. It did not: oneDNN's bf16
 * convolution with three input channels read values that were not the input (the bundle check of a
 * trained 3-frame model measured 7.4 % of the range; training turned NaN at random steps).
 */
class MultiFrameBf16Test {

    @Test
    void threeFramesRunInBf16AsInFp32() throws Exception {
        assumeTrue(Precision.cpuHasNativeBf16(), "bf16 runs only on CPUs with native bf16");
        int n = 64;
        float[] x = new float[n * n * 3];
        Random r = new Random(3);
        for (int i = 0; i < n * n; i++) {
            double v = 0.5 + 0.3 * Math.sin(i % n / 4.0) * Math.cos(i / n / 6.0);
            for (int c = 0; c < 3; c++) {
                x[i * 3 + c] = (float) (v + 0.05 * r.nextGaussian());
            }
        }
        float[] fp32 = run(x, n, false);
        float[] bf16 = run(x, n, true);
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < fp32.length; i++) {
            lo = Math.min(lo, fp32[i]);
            hi = Math.max(hi, fp32[i]);
            max = Math.max(max, Math.abs(fp32[i] - bf16[i]));
        }
        assertTrue(max <= 0.01 * (hi - lo), "bf16 differs by " + max + " on an output range of " + (hi - lo));
    }

    private static float[] run(float[] x, int n, boolean bf16) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, n, n, 3)));
            // untrained weights, frozen as constants as in an exported bundle
            Operand<TFloat32> out = UNet.build(tf, (name, init) -> VariableParams.constant(tf, init),
                    UNetConfig.unetS(2, 3), 5, in);
            try (Session s = SessionFactory.create(g, 1, 1, false, bf16); TFloat32 t = Tensors.of(x, 1, n, n, 3);
                    Result res = s.runner().feed(in, t).fetch(out).run()) {
                return Tensors.values(res.get(0));
            }
        }
    }
}
