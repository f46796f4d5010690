package io.github.decrappify.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Shapes of the critic's outputs and the spectral normalisation's estimate of the largest singular value. */
class CriticTest {

    @BeforeAll
    static void natives() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
    }

    @Test
    void outputShapesFollowTheLevels() {
        CriticConfig cfg = new CriticConfig(4, 3, true, true, true);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
            Critic critic = new Critic(tf, "critic", cfg, new VariableParams(tf, null), new VariableParams(tf, null), 1);
            Critic.Output out = critic.apply(x);
            assertEquals(3, out.features().size());
            assertEquals(cfg.levels() * 2 - 1 + 3 + 1, critic.powerIterationUpdates().size(),
                    "one power iteration per spectrally normalised conv (levels, attention q/k/v, logits)");
            try (Session s = new Session(g)) {
                s.initialize();
                float[] in = new float[2 * 48 * 32];
                try (TFloat32 t = Tensors.of(in, 2, 48, 32, 1);
                        Result r = s.runner().feed(x, t).fetch(out.logits()).fetch(out.features().get(2))
                                .fetch(out.reconstruction()).run()) {
                    assertArrayEquals(new long[] {2, 6, 4, 1}, Tensors.shape(r.get(0)));
                    assertArrayEquals(new long[] {2, 6, 4, 16}, Tensors.shape(r.get(1)));
                    assertArrayEquals(new long[] {2, 24, 16, 1}, Tensors.shape(r.get(2)));
                }
            }
        }
    }

    @Test
    void noDecoderNoReconstructionAndNoSpectralNormNoUpdates() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
            Critic critic = new Critic(tf, "enc", new CriticConfig(4, 2, false, false, false), new VariableParams(tf, null),
                    new VariableParams(tf, null), 1);
            Critic.Output out = critic.apply(x);
            assertNull(out.reconstruction());
            assertTrue(critic.powerIterationUpdates().isEmpty());
            assertNull(critic.sigma("l1/down"));
        }
    }

    /** After enough updates the in-graph σ equals the largest singular value computed in Java. */
    @Test
    void powerIterationConvergesToTheLargestSingularValue() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
            VariableParams params = new VariableParams(tf, null);
            Critic critic = new Critic(tf, "critic", new CriticConfig(4, 2, true, false, false), params,
                    new VariableParams(tf, null), 3);
            critic.apply(x);
            Params.Tensor w = params.initial().get("critic/l1/down/w");
            assertNotNull(w);
            try (Session s = new Session(g)) {
                s.initialize();
                for (int i = 0; i < 60; i++) {
                    var runner = s.runner();
                    critic.powerIterationUpdates().forEach(runner::addTarget);
                    runner.run();
                }
                try (Result r = s.runner().fetch(critic.sigma("l1/down")).run()) {
                    double sigma = ((TFloat32) r.get(0)).getFloat();
                    double expected = largestSingularValue(w.data(), (int) (w.shape()[0] * w.shape()[1] * w.shape()[2]),
                            (int) w.shape()[3]);
                    assertEquals(expected, sigma, 1e-3 * expected);
                }
            }
        }
    }

    static double largestSingularValue(float[] m, int rows, int cols) {
        double[] v = new double[cols];
        Random r = new Random(1);
        for (int i = 0; i < cols; i++) {
            v[i] = r.nextGaussian();
        }
        double s = 0;
        for (int it = 0; it < 500; it++) {
            double[] u = new double[rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    u[i] += m[i * cols + j] * v[j];
                }
            }
            double[] w = new double[cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    w[j] += m[i * cols + j] * u[i];
                }
            }
            double n = 0;
            for (double d : w) {
                n += d * d;
            }
            n = Math.sqrt(n);
            for (int j = 0; j < cols; j++) {
                v[j] = w[j] / n;
            }
            s = Math.sqrt(n);
        }
        return s;
    }
}
