package io.github.decrappify.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The patch critic of the NoGAN recipe (design.md › Networks), also used as a feature network:
 * <pre>
 *   conv4×4/2 1→w, LReLU                                   level 0  (1/2)
 *   [conv3×3 c→c, LReLU; conv4×4/2 c→2c, LReLU] per level   levels 1..L-1
 *   global self-attention (γ from 0)                        deepest level
 *   conv3×3 → 1                                             logits at 1/2^L
 *   decoder (optional): [nearest ×2, conv3×3, LReLU]×(L-1), conv3×3 → 1   reconstruction at 1/2
 * </pre>
 * Every convolution of the critic is spectrally normalised when asked: the kernel, reshaped to a
 * {@code (k·k·in) × out} matrix, is divided by its largest singular value, estimated by one power
 * iteration per training step from a persistent vector {@code u} (stored as state, not trained; the
 * updates are returned by {@link #powerIterationUpdates()} for the critic's train op to run).
 *
 * <p>One instance creates its parameters once; {@link #apply} can be called on several inputs (real,
 * generated) and they share the weights.
 */
public final class Critic {

    /** What one application produces. {@code features} holds each level's activations, finest first. */
    public record Output(Operand<TFloat32> logits, List<Operand<TFloat32>> features, Operand<TFloat32> reconstruction) {}

    private static final List<Long> STRIDE1 = List.of(1L, 1L, 1L, 1L);
    private static final List<Long> STRIDE2 = List.of(1L, 2L, 2L, 1L);

    private final Ops tf;
    private final String prefix;
    private final CriticConfig cfg;
    private final ParamSource params;
    private final ParamSource state;
    private final Random init;
    private final Map<String, Operand<TFloat32>> kernels = new HashMap<>();
    private final Map<String, Operand<TFloat32>> biases = new HashMap<>();
    private final List<Op> updates = new ArrayList<>();
    private final Map<String, Operand<TFloat32>> sigmas = new HashMap<>();

    /**
     * @param prefix parameter name prefix, e.g. {@code critic}
     * @param params trainable parameters
     * @param state  spectral-norm vectors (must be variables if the updates are to be run)
     */
    public Critic(Ops tf, String prefix, CriticConfig cfg, ParamSource params, ParamSource state, long seed) {
        this.tf = tf;
        this.prefix = prefix;
        this.cfg = cfg;
        this.params = params;
        this.state = state;
        this.init = new Random(seed);
    }

    public CriticConfig config() {
        return cfg;
    }

    public Output apply(Operand<TFloat32> x) {
        List<Operand<TFloat32>> features = new ArrayList<>();
        int c = cfg.widthAt(0);
        Operand<TFloat32> h = lrelu(conv("l0/down", x, 4, 1, c, 2, cfg.spectralNorm()));
        features.add(h);
        for (int l = 1; l < cfg.levels(); l++) {
            h = lrelu(conv("l" + l + "/conv", h, 3, c, c, 1, cfg.spectralNorm()));
            h = lrelu(conv("l" + l + "/down", h, 4, c, 2 * c, 2, cfg.spectralNorm()));
            c *= 2;
            features.add(h);
        }
        if (cfg.attention()) {
            h = attention("attn", h, c);
        }
        Operand<TFloat32> logits = conv("logits", h, 3, c, 1, 1, cfg.spectralNorm());
        Operand<TFloat32> rec = cfg.decoder() ? decode(h, c) : null;
        return new Output(logits, features, rec);
    }

    /**
     * The spectral norm estimate of convolution {@code name} (e.g. {@code l1/down}), or {@code null}
     * without spectral normalisation or before {@link #apply} created it.
     */
    public Operand<TFloat32> sigma(String name) {
        return sigmas.get(prefix + "/" + name);
    }

    /** Assignments of the power-iterated vectors; run them with each critic update. */
    public List<Op> powerIterationUpdates() {
        return List.copyOf(updates);
    }

    private Operand<TFloat32> decode(Operand<TFloat32> h, int c) {
        Operand<TFloat32> d = h;
        for (int l = 1; l < cfg.levels(); l++) {
            int out = Math.max(4, c / 2);
            d = lrelu(conv("dec" + l, up2(d), 3, c, out, 1, false));
            c = out;
        }
        return conv("dec/out", d, 3, c, 1, 1, false);
    }

    /** Nearest-neighbour ×2: four copies of the channels, then depth-to-space (an op with a checked gradient). */
    private Operand<TFloat32> up2(Operand<TFloat32> x) {
        return tf.nn.depthToSpace(tf.concat(List.of(x, x, x, x), tf.constant(3)), 2L);
    }

    /** SAGAN self-attention over all positions: q/k to c/8 channels, v to c, softmax, γ·out + x. */
    private Operand<TFloat32> attention(String name, Operand<TFloat32> x, int c) {
        int k = Math.max(1, c / 8);
        Operand<TInt32> shape = tf.shape(x);
        Operand<TInt32> n = tf.gather(shape, tf.constant(new int[] {0}), tf.constant(0));
        Operand<TInt32> hw = tf.math.mul(tf.gather(shape, tf.constant(new int[] {1}), tf.constant(0)),
                tf.gather(shape, tf.constant(new int[] {2}), tf.constant(0)));
        Operand<TFloat32> q = flat(conv(name + "/q", x, 1, c, k, 1, cfg.spectralNorm()), n, hw, k);
        Operand<TFloat32> key = flat(conv(name + "/k", x, 1, c, k, 1, cfg.spectralNorm()), n, hw, k);
        Operand<TFloat32> v = flat(conv(name + "/v", x, 1, c, c, 1, cfg.spectralNorm()), n, hw, c);
        Operand<TFloat32> weights = tf.nn.softmax(tf.train.batchMatMul(q, key, TFloat32.class, BatchMatMul.adjY(true)));
        Operand<TFloat32> out = tf.reshape(tf.train.batchMatMul(weights, v, TFloat32.class), shape);
        Operand<TFloat32> gamma = biases.computeIfAbsent(prefix + "/" + name + "/gamma",
                id -> params.get(id, Params.Tensor.zeros(1)));
        return tf.math.add(x, tf.math.mul(gamma, out));
    }

    private Operand<TFloat32> flat(Operand<TFloat32> x, Operand<TInt32> n, Operand<TInt32> hw, int ch) {
        return tf.reshape(x, tf.concat(List.of(n, hw, tf.constant(new int[] {ch})), tf.constant(0)));
    }

    private Operand<TFloat32> conv(String name, Operand<TFloat32> x, int k, int in, int out, int stride, boolean sn) {
        String full = prefix + "/" + name;
        Operand<TFloat32> w = kernels.get(full);
        if (w == null) {
            w = params.get(full + "/w", Params.Tensor.heNormal(init, 1.0, k, k, in, out));
            if (sn) {
                w = spectralNormalise(full, w, k * k * in, out);
            }
            kernels.put(full, w);
            biases.put(full, params.get(full + "/b", Params.Tensor.zeros(out)));
        }
        return tf.nn.biasAdd(tf.nn.conv2d(x, w, stride == 1 ? STRIDE1 : STRIDE2, "SAME"), biases.get(full));
    }

    /**
     * {@code w / σ(w)} with σ from one power iteration started at the stored {@code u}. Gradients flow
     * through {@code w} only (u and v are constants for differentiation), the usual spectral-norm
     * gradient; it is exact once {@code u} has converged to the top singular vector.
     */
    private Operand<TFloat32> spectralNormalise(String name, Operand<TFloat32> w, int rows, int cols) {
        float[] u0 = new float[cols];
        double norm = 0;
        for (int i = 0; i < cols; i++) {
            u0[i] = (float) init.nextGaussian();
            norm += u0[i] * u0[i];
        }
        for (int i = 0; i < cols; i++) {
            u0[i] /= (float) Math.sqrt(norm);
        }
        Operand<TFloat32> u = state.get(name + "/sn_u", new Params.Tensor(new long[] {cols, 1}, u0));
        Operand<TFloat32> m = tf.reshape(w, tf.constant(new int[] {rows, cols}));
        Operand<TFloat32> v = tf.stopGradient(l2normalise(tf.linalg.matMul(m, u)));
        Operand<TFloat32> uNew = tf.stopGradient(l2normalise(tf.linalg.matMul(m, v, MatMul.transposeA(true))));
        Operand<TFloat32> sigma = tf.reshape(tf.linalg.matMul(v, tf.linalg.matMul(m, uNew), MatMul.transposeA(true)),
                tf.constant(new int[0]));
        sigmas.put(name, sigma);
        if (u instanceof Variable<TFloat32> var) {
            updates.add(tf.assign(var, uNew));
        }
        return tf.math.div(w, sigma);
    }

    private Operand<TFloat32> l2normalise(Operand<TFloat32> x) {
        Operand<TFloat32> ss = tf.sum(tf.math.square(x), tf.constant(new int[] {0, 1}));
        return tf.math.mul(x, tf.math.rsqrt(tf.math.add(ss, tf.constant(1e-12f))));
    }

    private Operand<TFloat32> lrelu(Operand<TFloat32> x) {
        return tf.nn.leakyRelu(x, LeakyRelu.alpha(cfg.slope()));
    }
}
