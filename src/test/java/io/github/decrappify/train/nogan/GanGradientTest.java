package io.github.decrappify.train.nogan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.net.Critic;
import io.github.decrappify.net.CriticConfig;
import io.github.decrappify.net.ParamSource;
import io.github.decrappify.net.Params;
import io.github.decrappify.net.Tensors;
import io.github.decrappify.net.VariableParams;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
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
 * Numerical gradient checks of every loss the NoGAN graph adds (design.md: some TF gradients are
 * silently wrong here, so each new op in a loss is checked): the critic's BCE and RaGAN losses through
 * spectral norm, leaky ReLU, strided 4×4 convolutions and self-attention; the generator's adversarial
 * losses; the feature loss; the self-supervised reconstruction loss. Directional derivatives along
 * random directions are compared with central differences.
 */
class GanGradientTest {

    static final int N = 2;
    static final int H = 16;
    /**
     * Slope 1 makes the leaky ReLUs linear: their kinks would otherwise dominate finite differences of
     * this small network. The leaky ReLU's own gradient is checked separately, away from its kink.
     */
    static final CriticConfig CFG = new CriticConfig(4, 2, true, true, true, 1f);

    @BeforeAll
    static void natives() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
    }

    /** Parameters as placeholders fed with fixed values, so weights can be perturbed like inputs. */
    static final class FedParams implements ParamSource {
        final Ops tf;
        final Map<String, Placeholder<TFloat32>> holders = new LinkedHashMap<>();
        final Map<String, Params.Tensor> values = new LinkedHashMap<>();
        final Random rng = new Random(5);

        FedParams(Ops tf) {
            this.tf = tf;
        }

        @Override
        public Operand<TFloat32> get(String name, Params.Tensor init) {
            Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(init.shape())));
            float[] v = init.data().clone();
            if (name.endsWith("/gamma")) {
                v[0] = 0.7f; // non-zero so the attention branch takes part in the gradient
            } else if (name.endsWith("/b")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = 0.05f * (float) rng.nextGaussian();
                }
            }
            holders.put(name, p);
            values.put(name, new Params.Tensor(init.shape(), v));
            return p;
        }
    }

    record Setup(Graph g, Ops tf, Placeholder<TFloat32> real, Placeholder<TFloat32> fake, FedParams params, Critic critic) {}

    static Setup setup(Graph g) {
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> real = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(N, H, H, 1)));
        Placeholder<TFloat32> fake = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(N, H, H, 1)));
        FedParams params = new FedParams(tf);
        Critic critic = new Critic(tf, "critic", CFG, params, new VariableParams(tf, null), 11);
        return new Setup(g, tf, real, fake, params, critic);
    }

    @Test
    void criticLossesThroughSpectralNormAndAttention() {
        for (boolean ragan : new boolean[] {false, true}) {
            check((s, c) -> GanLosses.critic(s.tf(), c[0].logits(), c[1].logits(), ragan), "fake", n -> !n.contains("/dec"),
                    "critic ragan=" + ragan);
        }
    }

    @Test
    void generatorAdversarialLosses() {
        for (boolean ragan : new boolean[] {false, true}) {
            check((s, c) -> GanLosses.adversarial(s.tf(), c[0].logits(), c[1].logits(), ragan), "fake", n -> false,
                    "adversarial ragan=" + ragan);
        }
    }

    @Test
    void featureAndReconstructionLosses() {
        check((s, c) -> GanLosses.features(s.tf(), c[1].features(), c[0].features(), new float[] {1f, 0.5f}), "fake",
                n -> false, "features");
        check((s, c) -> GanLosses.reconstruction(s.tf(), c[0].reconstruction(), s.real()), "real",
                n -> !n.contains("logits"), "reconstruction");
    }

    @Test
    void leakyReluAwayFromItsKink() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(64)));
            Operand<TFloat32> y = tf.sum(tf.math.square(tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(0.2f))),
                    tf.constant(0));
            Output<?>[] grad = g.addGradients(y.asOutput(), new Output<?>[] {x.asOutput()});
            Random rng = new Random(4);
            float[] v = new float[64];
            for (int i = 0; i < v.length; i++) {
                v[i] = (0.1f + rng.nextFloat()) * (rng.nextBoolean() ? 1 : -1);
            }
            try (Session s = new Session(g); TFloat32 in = Tensors.of(v, 64); Result r = s.runner().feed(x, in).fetch(grad[0]).run()) {
                float[] analytic = Tensors.values(r.get(0));
                for (int i = 0; i < v.length; i++) {
                    double slope = v[i] > 0 ? 1 : 0.2;
                    assertTrue(Math.abs(analytic[i] - 2 * slope * slope * v[i]) < 1e-5, "d/dx lrelu(x)^2 at " + v[i]);
                }
            }
        }
    }

    /**
     * Builds {@code loss(critic(real), critic(fake))}, converges the spectral-norm vectors, then compares
     * analytic and numeric directional derivatives with respect to {@code input} ("real" or "fake") and
     * the critic kernels that {@code weights} selects, all at once.
     */
    private void check(BiFunction<Setup, Critic.Output[], Operand<TFloat32>> lossOf, String input,
            java.util.function.Predicate<String> weights, String what) {
        // |a - b| of the feature loss has kinks wherever features agree: keep the step below their spacing.
        double eps = what.equals("features") ? 1e-3 : 1e-2;
        try (Graph g = new Graph()) {
            Setup s = setup(g);
            Critic.Output[] outs = {s.critic().apply(s.real()), s.critic().apply(s.fake())};
            Operand<TFloat32> loss = lossOf.apply(s, outs);
            List<Output<?>> xs = new ArrayList<>();
            List<String> names = new ArrayList<>();
            xs.add((input.equals("real") ? s.real() : s.fake()).asOutput());
            names.add(input);
            s.params().holders.forEach((n, p) -> {
                if (n.endsWith("/w") && weights.test(n)) {
                    xs.add(p.asOutput());
                    names.add(n);
                }
            });
            Output<?>[] grads = g.addGradients(loss.asOutput(), xs.toArray(Output<?>[]::new));
            Random rng = new Random(what.hashCode());
            Map<String, float[]> point = new LinkedHashMap<>();
            point.put("real", random(rng, N * H * H, 0.5f, 0.25f));
            // Far from the real input for the feature loss, so that few feature differences sit near |·|'s kink.
            point.put("fake", random(rng, N * H * H, 0.5f, what.equals("features") ? 2.5f : 0.25f));
            s.params().values.forEach((n, t) -> point.put(n, t.data()));
            try (Session sess = new Session(g)) {
                sess.initialize();
                for (int i = 0; i < (s.critic().powerIterationUpdates().isEmpty() ? 0 : 80); i++) {
                    var runner = sess.runner();
                    s.critic().powerIterationUpdates().forEach(runner::addTarget);
                    feed(runner, s, point, new ArrayList<>()).run();
                }
                float[][] analytic = new float[grads.length][];
                List<TFloat32> owned = new ArrayList<>();
                var runner = feed(sess.runner(), s, point, owned);
                for (Output<?> gr : grads) {
                    runner.fetch(gr);
                }
                try (Result r = runner.run()) {
                    for (int i = 0; i < grads.length; i++) {
                        analytic[i] = Tensors.values(r.get(i));
                    }
                }
                owned.forEach(TFloat32::close);
                int trials = 5;
                double[] numeric = new double[trials];
                double[] predicted = new double[trials];
                for (int trial = 0; trial < trials; trial++) {
                    Map<String, float[]> dir = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        float[] d = random(rng, analytic[i].length, 0f, 1f);
                        dir.put(names.get(i), d);
                        for (int k = 0; k < d.length; k++) {
                            predicted[trial] += d[k] * analytic[i][k];
                        }
                    }
                    numeric[trial] = (eval(sess, s, loss, shifted(point, dir, eps)) - eval(sess, s, loss, shifted(point, dir, -eps)))
                            / (2 * eps);
                }
                // Errors relative to the typical size of the derivative: a direction almost orthogonal to
                // the gradient has a tiny derivative that float32 differences cannot resolve relatively.
                double scale = 0;
                for (double v : numeric) {
                    scale += Math.abs(v) / trials;
                }
                double worst = 0;
                StringBuilder seen = new StringBuilder();
                for (int t = 0; t < trials; t++) {
                    worst = Math.max(worst, Math.abs(numeric[t] - predicted[t]) / Math.max(Math.abs(numeric[t]), scale));
                    seen.append(String.format(" %.4g/%.4g", numeric[t], predicted[t]));
                }
                assertTrue(worst < 0.03, what + ": worst relative error of the directional derivative " + worst
                        + " (numeric/analytic:" + seen + ")");
            }
        }
    }

    private static Map<String, float[]> shifted(Map<String, float[]> point, Map<String, float[]> dir, double eps) {
        Map<String, float[]> out = new LinkedHashMap<>(point);
        dir.forEach((n, d) -> {
            float[] v = point.get(n).clone();
            for (int k = 0; k < v.length; k++) {
                v[k] += (float) (eps * d[k]);
            }
            out.put(n, v);
        });
        return out;
    }

    private static Session.Runner feed(Session.Runner runner, Setup s, Map<String, float[]> point, List<TFloat32> owned) {
        TFloat32 real = Tensors.of(point.get("real"), N, H, H, 1);
        TFloat32 fake = Tensors.of(point.get("fake"), N, H, H, 1);
        owned.add(real);
        owned.add(fake);
        runner.feed(s.real(), real).feed(s.fake(), fake);
        s.params().holders.forEach((n, p) -> {
            TFloat32 t = Tensors.of(point.get(n), s.params().values.get(n).shape());
            owned.add(t);
            runner.feed(p, t);
        });
        return runner;
    }

    private static double eval(Session sess, Setup s, Operand<TFloat32> loss, Map<String, float[]> point) {
        List<TFloat32> owned = new ArrayList<>();
        try (Result r = feed(sess.runner(), s, point, owned).fetch(loss).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        } finally {
            owned.forEach(TFloat32::close);
        }
    }

    private static float[] random(Random rng, int n, float mean, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + std * (float) rng.nextGaussian();
        }
        return v;
    }
}
