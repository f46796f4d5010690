package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.net.Tensors;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The training loss's gradient (L1 + SSIM, as TF derives it with addGradients) agrees with central
 * finite differences, and the SSIM op agrees with the Java reference implementation. design.md warns
 * that some TF gradients are silently wrong here, so every loss op gets this check.
 */
class LossGradientTest {

    static final int N = 16;

    @Test
    void lossGradientMatchesFiniteDifferences() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        Random r = new Random(3);
        float[] pred = new float[N * N];
        float[] target = new float[N * N];
        for (int i = 0; i < pred.length; i++) {
            target[i] = r.nextFloat();
            pred[i] = target[i] + 0.2f * (float) r.nextGaussian();
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, N, N, 1)));
            Operand<TFloat32> y = tf.constant(Shape.of(1, N, N, 1), org.tensorflow.ndarray.buffer.DataBuffers.of(target));
            Operand<TFloat32> ssim = Losses.ssim(tf, x, y);
            Operand<TFloat32> loss = tf.math.add(Losses.l1(tf, x, y),
                    tf.math.mul(tf.constant(0.5f), tf.math.sub(tf.constant(1f), ssim)));
            Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});
            try (Session s = new Session(g)) {
                float[] analytic;
                try (TFloat32 in = Tensors.of(pred, 1, N, N, 1); Result res = s.runner().feed(x, in).fetch(grad[0]).fetch(ssim).run()) {
                    analytic = Tensors.values(res.get(0));
                    double javaSsim = io.github.decrappify.metrics.Ssim.mean(new io.github.decrappify.image.FloatPlane(N, N, target),
                            new io.github.decrappify.image.FloatPlane(N, N, pred), 1.0);
                    assertEquals(javaSsim, ((TFloat32) res.get(1)).getFloat(), 1e-4, "graph SSIM vs Java SSIM");
                }
                double eps = 1e-2;
                double worst = 0;
                for (int k = 0; k < 40; k++) {
                    int i = r.nextInt(pred.length);
                    if (Math.abs(pred[i] - target[i]) < 3 * eps) {
                        continue; // |x| has a kink at 0: finite differences across it are meaningless
                    }
                    float[] plus = pred.clone();
                    float[] minus = pred.clone();
                    plus[i] += (float) eps;
                    minus[i] -= (float) eps;
                    double numeric = (eval(s, x, loss, plus) - eval(s, x, loss, minus)) / (2 * eps);
                    worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(1e-3, Math.abs(numeric)));
                }
                assertTrue(worst < 0.05, "worst relative gradient error " + worst);
            }
        }
    }

    /** {@code --loss l2}: the op is the mean squared error, and its gradient is 2·(pred − target)/n exactly. */
    @Test
    void meanSquaredErrorAndItsGradient() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        Random r = new Random(5);
        float[] pred = new float[N * N];
        float[] target = new float[N * N];
        double sum = 0;
        for (int i = 0; i < pred.length; i++) {
            target[i] = r.nextFloat();
            pred[i] = target[i] + 0.2f * (float) r.nextGaussian();
            sum += (pred[i] - target[i]) * (double) (pred[i] - target[i]);
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, N, N, 1)));
            Operand<TFloat32> y = tf.constant(Shape.of(1, N, N, 1), org.tensorflow.ndarray.buffer.DataBuffers.of(target));
            Operand<TFloat32> loss = PixelLoss.L2.build(tf, x, y);
            Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});
            try (Session s = new Session(g);
                    TFloat32 in = Tensors.of(pred, 1, N, N, 1);
                    Result res = s.runner().feed(x, in).fetch(loss).fetch(grad[0]).run()) {
                assertEquals(sum / pred.length, ((TFloat32) res.get(0)).getFloat(), 1e-6, "mean squared error");
                float[] gr = Tensors.values(res.get(1));
                for (int i = 0; i < pred.length; i += 17) {
                    assertEquals(2.0 * (pred[i] - target[i]) / pred.length, gr[i], 1e-7, "gradient at " + i);
                }
            }
        }
    }

    @Test
    void lossNamesParse() {
        assertEquals(PixelLoss.L2, PixelLoss.parse(" L2 "));
        assertEquals(PixelLoss.L1, PixelLoss.parse("l1"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PixelLoss.parse("huber"));
        assertEquals("loss must be l1 or l2, not 'huber'", e.getMessage());
    }

    private static double eval(Session s, Placeholder<TFloat32> x, Operand<TFloat32> loss, float[] v) {
        try (TFloat32 in = Tensors.of(v, 1, N, N, 1); Result res = s.runner().feed(x, in).fetch(loss).run()) {
            return ((TFloat32) res.get(0)).getFloat();
        }
    }
}
