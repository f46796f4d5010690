package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.net.Tensors;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The blind-spot loss in the real TF graph counts the masked pixels only, in value and in gradient. */
class BlindSpotLossTest {

    static final UNetConfig NET = new UNetConfig(1, 1, new int[] {8, 16}, true, 4, 4);

    @BeforeAll
    static void runtime() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
    }

    @Test
    void maskedL1IsTheMeanOverMaskedPixelsAndHasNoGradientElsewhere() {
        int n = 2;
        int s = 8;
        Random r = new Random(4);
        float[] pred = new float[n * s * s];
        float[] target = new float[pred.length];
        float[] mask = new float[pred.length];
        double sum = 0;
        int count = 0;
        for (int i = 0; i < pred.length; i++) {
            pred[i] = r.nextFloat();
            target[i] = r.nextFloat();
            if (i % 7 == 3) {
                mask[i] = 1;
                sum += Math.abs(pred[i] - target[i]);
                count++;
            }
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, s, s, 1)));
            Operand<TFloat32> loss = Losses.maskedL1(tf, x, tf.constant(Shape.of(n, s, s, 1), DataBuffers.of(target)),
                    tf.constant(Shape.of(n, s, s, 1), DataBuffers.of(mask)));
            Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});
            try (Session session = new Session(g); TFloat32 in = Tensors.of(pred, n, s, s, 1);
                    Result res = session.runner().feed(x, in).fetch(loss).fetch(grad[0]).run()) {
                assertEquals(sum / count, ((TFloat32) res.get(0)).getFloat(), 1e-6);
                float[] gr = Tensors.values(res.get(1));
                for (int i = 0; i < gr.length; i++) {
                    double expected = mask[i] == 0 ? 0 : Math.signum(pred[i] - target[i]) / count;
                    assertEquals(expected, gr[i], 1e-7, "gradient at pixel " + i + " (mask " + mask[i] + ")");
                }
            }
        }
    }

    private static List<TrainingPair> noisy(int size, long seed) {
        Random r = new Random(seed);
        float[] d = new float[size * size];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (0.5 + 0.3 * Math.sin(0.2 * (i % size)) + 0.1 * r.nextGaussian());
        }
        FloatPlane p = new FloatPlane(size, size, d);
        return List.of(new TrainingPair("noisy", p, p));
    }

    @Test
    void batchesHideOnlyTheMaskedPixelsOfTheirNoisyTargets() {
        BlindSpotBatches batches = new BlindSpotBatches(noisy(64, 1), 32, DataRecipe.DEFAULT, new BlindSpotMasker(1 / 64.0, 2));
        Batch b = batches.sample(3, new Random(5));
        assertEquals(3 * 32 * 32, b.mask().length);
        int masked = 0;
        int changed = 0;
        for (int i = 0; i < b.mask().length; i++) {
            if (b.mask()[i] == 1) {
                masked++;
                changed += b.input()[i] != b.target()[i] ? 1 : 0;
            } else {
                assertEquals(b.target()[i], b.input()[i], 0, "unmasked input = the noisy target");
            }
        }
        assertEquals(3 * 16, masked, "one pixel per 8x8 cell of each 32x32 patch");
        assertTrue(changed > masked * 9 / 10, "masked pixels hold a neighbour's (noisy, so different) value: " + changed);
        Batch again = batches.sample(3, new Random(5));
        assertEquals(java.util.Arrays.hashCode(b.input()), java.util.Arrays.hashCode(again.input()));
        assertEquals(java.util.Arrays.hashCode(b.mask()), java.util.Arrays.hashCode(again.mask()));
    }

    @Test
    void theTrainingGraphScoresMaskedPixelsOnlyAndLearns() {
        BlindSpotBatches batches = new BlindSpotBatches(noisy(64, 2), 16, DataRecipe.DEFAULT, new BlindSpotMasker(1 / 16.0, 2));
        Batch b = batches.sample(4, new Random(6));
        try (TrainGraph g = TrainGraph.blindSpot(NET, null, 3, 1, false)) {
            float[] out = g.predict(b.input(), b.n(), b.height(), b.width());
            double sum = 0;
            int count = 0;
            for (int i = 0; i < out.length; i++) {
                if (b.mask()[i] == 1) {
                    sum += Math.abs(out[i] - b.target()[i]);
                    count++;
                }
            }
            assertEquals(sum / count, g.l1(b), 1e-5, "the graph's loss is the L1 over the masked pixels");
            float[] otherTargets = b.target().clone();
            for (int i = 0; i < otherTargets.length; i++) {
                if (b.mask()[i] == 0) {
                    otherTargets[i] += 5;
                }
            }
            Batch shifted = new Batch(b.input(), otherTargets, b.n(), b.height(), b.width(), 1, 1, b.mask());
            assertEquals(g.l1(b), g.l1(shifted), 1e-6, "targets of unmasked pixels do not count");

            // Learning: on a fixed 32-patch batch the masked L1 starts near |neighbour - pixel| (the residual
            // net begins close to the identity) and falls towards E|noise| as it learns to predict the signal.
            Batch eval = batches.sample(32, new Random(99));
            float first = g.l1(eval);
            for (int step = 1; step <= 80; step++) {
                g.step(batches.sample(8, new Random(100 + step)), 2e-3f, step);
            }
            float last = g.l1(eval);
            assertNotEquals(first, last, "the steps changed the weights");
            assertTrue(last < 0.97 * first, "masked L1 fell over 80 steps: " + first + " -> " + last);

            Batch unmasked = new Batch(b.input(), b.target(), b.n(), b.height(), b.width(), 1, 1);
            assertEquals("blind-spot training needs batches with a loss mask",
                    assertThrows(IllegalArgumentException.class, () -> g.step(unmasked, 1e-3f, 31)).getMessage());
        }
        try (TrainGraph plain = new TrainGraph(NET, null, 3, 0, 1, false)) {
            assertEquals("this graph's loss counts every pixel; it cannot take a masked batch",
                    assertThrows(IllegalArgumentException.class, () -> plain.step(b, 1e-3f, 1)).getMessage());
        }
    }
}
