package io.github.decrappify.bench;

import io.github.decrappify.net.Tensors;
import io.github.decrappify.runtime.LoadedModel;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The machine's practical limit for the bench's GFLOP/s: a TensorFlow {@code MatMul} of two {@code n × n}
 * matrices in a session configured as the models' ({@link LoadedModel#sessionConfig}: the same threads),
 * in fp32 or bf16, median of {@code repeats} runs after
 * one warm-up. Inputs are fed, not constants, so graph optimisation cannot fold the product away.
 */
public final class MatMulPeak {

    private MatMulPeak() {}

    /**
     * GFLOP/s ({@code 2·n³} per product). With {@code bf16} the matrices are bfloat16 tensors and the product a
     * bf16 {@code MatMul} (oneDNN's native kernel), not fp32 inputs cast by the rewrite: the casts of two
     * matrices per product would be timed too (measured here: ~65 GFLOP/s that way, below fp32's ~100).
     */
    public static double gflops(int n, int repeats, boolean bf16) {
        return bf16 ? run(n, repeats, TBfloat16.class) : run(n, repeats, TFloat32.class);
    }

    private static <T extends TNumber> double run(int n, int repeats, Class<T> type) {
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        Random rng = new Random(1);
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextFloat() - 0.5f;
            b[i] = rng.nextFloat() - 0.5f;
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<T> pa = tf.placeholder(type, Placeholder.shape(Shape.of(n, n)));
            Placeholder<T> pb = tf.placeholder(type, Placeholder.shape(Shape.of(n, n)));
            Operand<T> c = tf.linalg.matMul(pa, pb);
            try (Session s = new Session(g, LoadedModel.sessionConfig(false));
                    Tensor ta = tensor(a, n, type);
                    Tensor tb = tensor(b, n, type)) {
                double[] t = new double[Math.max(1, repeats)];
                for (int i = -1; i < t.length; i++) {
                    long start = System.nanoTime();
                    try (var unused = s.runner().feed(pa.asOutput(), ta).feed(pb.asOutput(), tb).addTarget(c).run()) {
                        // timed: the product only, nothing fetched
                    }
                    if (i >= 0) {
                        t[i] = (System.nanoTime() - start) / 1e9;
                    }
                }
                return 2.0 * n * n * n / Benchmarks.median(t) / 1e9;
            }
        }
    }

    private static Tensor tensor(float[] values, int n, Class<?> type) {
        return type == TBfloat16.class ? TBfloat16.tensorOf(Shape.of(n, n), DataBuffers.of(values, true, false))
                : Tensors.of(values, n, n);
    }
}
