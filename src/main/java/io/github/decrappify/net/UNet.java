package io.github.decrappify.net;

import io.github.decrappify.image.ops.Filters;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.image.ResizeBicubic;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds the generator graph: a U-Net working at LR resolution, upsampling at the end by pixel
 * shuffle plus a 2×2 blur, with windowed self-attention at the bottleneck and a global residual from
 * the bicubic-upsampled input (design.md › Networks). Input {@code [N, h, w, inputChannels]} NHWC with
 * {@code h, w} multiples of {@link UNetConfig#sizeMultiple()}; output {@code [N, h·s, w·s, 1]}.
 *
 * <p>Initial values come from a seeded {@link Random}, so two builds with the same seed are identical.
 */
public final class UNet {

    private static final List<Long> STRIDE1 = List.of(1L, 1L, 1L, 1L);
    private static final List<Long> STRIDE2 = List.of(1L, 2L, 2L, 1L);

    private final Ops tf;
    private final ParamSource params;
    private final Random init;
    private final UNetConfig cfg;

    private UNet(Ops tf, ParamSource params, UNetConfig cfg, long seed) {
        this.tf = tf;
        this.params = params;
        this.cfg = cfg;
        this.init = new Random(seed);
    }

    /** Adds the generator to {@code tf}'s graph and returns its output. */
    public static Operand<TFloat32> build(Ops tf, ParamSource params, UNetConfig cfg, long seed, Operand<TFloat32> input) {
        return new UNet(tf, params, cfg, seed).forward(input);
    }

    private Operand<TFloat32> forward(Operand<TFloat32> input) {
        int[] w = cfg.widths();
        Operand<TFloat32> x = relu(conv("stem", input, 3, cfg.inputChannels(), w[0], 1, 1.0));
        List<Operand<TFloat32>> skips = new ArrayList<>();
        for (int level = 0; level < w.length; level++) {
            x = residualBlock("enc" + level, x, w[level]);
            if (level < w.length - 1) {
                skips.add(x);
                x = relu(conv("down" + level, x, 3, w[level], w[level + 1], 2, 1.0));
            }
        }
        if (cfg.attention()) {
            x = windowedAttention("attn", x, w[w.length - 1]);
        }
        for (int level = w.length - 2; level >= 0; level--) {
            String n = "dec" + level;
            x = tf.nn.depthToSpace(conv(n + "/up", x, 1, w[level + 1], 4 * w[level], 1, 1.0), 2L);
            x = tf.concat(List.of(x, skips.get(level)), tf.constant(3));
            x = relu(conv(n + "/conv1", x, 3, 2 * w[level], w[level], 1, 1.0));
            x = relu(conv(n + "/conv2", x, 3, w[level], w[level], 1, 1.0));
        }
        return head(x, w[0], input);
    }

    private Operand<TFloat32> head(Operand<TFloat32> x, int width, Operand<TFloat32> input) {
        int s = cfg.scale();
        Operand<TFloat32> centre = centreChannel(input);
        Operand<TFloat32> y = icnrConv("head", x, width, s);
        if (s > 1) {
            y = tf.nn.depthToSpace(y, (long) s);
        }
        if (cfg.headBlur()) {
            // 2×2 box blur, stride 1, edge padded right/bottom: removes pixel-shuffle checkerboards.
            y = tf.mirrorPad(y, tf.constant(new int[][] {{0, 0}, {0, 1}, {0, 1}, {0, 0}}), "SYMMETRIC");
            y = tf.nn.avgPool(y, List.of(1L, 2L, 2L, 1L), STRIDE1, "VALID");
        }
        if (cfg.residualHighpass() > 0) {
            y = tf.math.sub(y, gaussian(y, cfg.residualHighpass()));
        }
        return tf.math.add(y, s > 1 ? bicubic(centre, s) : centre);
    }

    /** Separable Gaussian of a single-channel NHWC tensor, ±3σ, mirrored edges (same size out). */
    private Operand<TFloat32> gaussian(Operand<TFloat32> x, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        float[] k = Filters.gaussianKernel(sigma, r); // the same taps as Filters.gaussian
        double[] kd = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            kd[i] = k[i];
        }
        // In float64: the bf16 rewrite (restore --precision bf16) converts float32 convolutions only, and in
        // bf16 this one lost up to 14 % of the output range (measured on the confocal model's check).
        Operand<org.tensorflow.types.TFloat64> p = tf.mirrorPad(tf.dtypes.cast(x, org.tensorflow.types.TFloat64.class),
                tf.constant(new int[][] {{0, 0}, {r, r}, {r, r}, {0, 0}}), "SYMMETRIC");
        Operand<org.tensorflow.types.TFloat64> rows = tf.constant(org.tensorflow.ndarray.Shape.of(k.length, 1, 1, 1),
                org.tensorflow.ndarray.buffer.DataBuffers.of(kd));
        Operand<org.tensorflow.types.TFloat64> cols = tf.constant(org.tensorflow.ndarray.Shape.of(1, k.length, 1, 1),
                org.tensorflow.ndarray.buffer.DataBuffers.of(kd));
        p = tf.nn.conv2d(p, rows, STRIDE1, "VALID");
        return tf.dtypes.cast(tf.nn.conv2d(p, cols, STRIDE1, "VALID"), TFloat32.class);
    }

    private Operand<TFloat32> centreChannel(Operand<TFloat32> input) {
        int n = cfg.inputChannels();
        if (n == 1) {
            return input;
        }
        Unstack<TFloat32> planes = tf.unstack(input, (long) n, Unstack.axis(3L));
        return tf.expandDims(planes.output().get(n / 2), tf.constant(3));
    }

    private Operand<TFloat32> bicubic(Operand<TFloat32> x, int s) {
        Operand<TInt32> hw = tf.stridedSlice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {3}),
                tf.constant(new int[] {1}));
        Operand<TInt32> size = tf.math.mul(hw, tf.constant(s));
        return tf.image.resizeBicubic(x, size, ResizeBicubic.halfPixelCenters(true));
    }

    private Operand<TFloat32> residualBlock(String name, Operand<TFloat32> x, int width) {
        Operand<TFloat32> y = relu(conv(name + "/conv1", x, 3, width, width, 1, 1.0));
        // Small initial residual branch keeps the untrained block close to identity.
        y = conv(name + "/conv2", y, 3, width, width, 1, 0.2);
        return relu(tf.math.add(y, x));
    }

    /**
     * Self-attention inside fixed, non-overlapping windows of {@code window²} bottleneck pixels. The
     * windows sit on a fixed grid, so a tile whose origin is a multiple of {@link UNetConfig#sizeMultiple()}
     * sees exactly the windows the whole image sees (global attention would make results depend on
     * the tile size).
     */
    private Operand<TFloat32> windowedAttention(String name, Operand<TFloat32> x, int c) {
        int k = cfg.attentionKeys();
        long win = cfg.window();
        long area = win * win;
        // Inputs that are not multiples of the tiling grid (e.g. 128² HR training patches at ×4, whose
        // bottleneck is 4²) are zero-padded to whole windows and cropped back afterwards.
        Operand<TInt32> shape = tf.shape(x);
        Operand<TInt32> hw = tf.stridedSlice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {3}),
                tf.constant(new int[] {1}));
        Operand<TInt32> pad = tf.math.floorMod(tf.math.neg(hw), tf.constant((int) win));
        Operand<TInt32> zeros = tf.constant(new int[] {0, 0});
        Operand<TInt32> paddings = tf.stack(List.of(zeros, tf.stack(List.of(tf.constant(0), tf.gather(pad, tf.constant(0), tf.constant(0)))),
                tf.stack(List.of(tf.constant(0), tf.gather(pad, tf.constant(1), tf.constant(0)))), zeros));
        Operand<TFloat32> xp = tf.pad(x, paddings, tf.constant(0f));
        Operand<TFloat32> q = windows(conv(name + "/q", xp, 1, c, k, 1, 1.0), win, k);
        Operand<TFloat32> key = windows(conv(name + "/k", xp, 1, c, k, 1, 1.0), win, k);
        Operand<TFloat32> vMap = tf.nn.spaceToDepth(conv(name + "/v", xp, 1, c, c, 1, 1.0), win);
        Operand<TFloat32> v = tf.reshape(vMap, tf.constant(new int[] {-1, (int) area, c}));
        Operand<TFloat32> logits = tf.train.batchMatMul(q, key, TFloat32.class, BatchMatMul.adjY(true));
        Operand<TFloat32> weights = tf.nn.softmax(logits);
        Operand<TFloat32> out = tf.train.batchMatMul(weights, v, TFloat32.class);
        out = tf.nn.depthToSpace(tf.reshape(out, tf.shape(vMap)), win);
        out = tf.slice(out, tf.constant(new int[] {0, 0, 0, 0}), shape);
        Operand<TFloat32> gamma = params.get(name + "/gamma", Params.Tensor.zeros(1));
        return tf.math.add(x, tf.math.mul(gamma, out));
    }

    /** {@code [N,h,w,ch]} → {@code [N·(h/win)·(w/win), win², ch]}, pixels in row-major order per window. */
    private Operand<TFloat32> windows(Operand<TFloat32> x, long win, int ch) {
        return tf.reshape(tf.nn.spaceToDepth(x, win), tf.constant(new int[] {-1, (int) (win * win), ch}));
    }

    /**
     * An odd number of input channels above one (the stem of a 3-frame model) is padded with a zero
     * channel, and the kernel with zero weights: the same result in fp32, and in a bf16 session (oneDNN's
     * bf16 kernels work on channel pairs) the only right one: with 3 channels the untrained output was
     * off by 21 % of its range and training turned NaN within a few steps (MultiFrameBf16Test).
     */
    private Operand<TFloat32> conv(String name, Operand<TFloat32> x, int k, int in, int out, int stride, double gain) {
        Operand<TFloat32> kernel = params.get(name + "/w", Params.Tensor.heNormal(init, gain, k, k, in, out));
        Operand<TFloat32> bias = params.get(name + "/b", Params.Tensor.zeros(out));
        if (in > 1 && in % 2 == 1) {
            x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, 1}}), tf.constant(0f));
            kernel = tf.pad(kernel, tf.constant(new int[][] {{0, 0}, {0, 0}, {0, 1}, {0, 0}}), tf.constant(0f));
        }
        return tf.nn.biasAdd(tf.nn.conv2d(x, kernel, stride == 1 ? STRIDE1 : STRIDE2, "SAME"), bias);
    }

    /**
     * Head convolution before pixel shuffle with ICNR initialisation: the {@code s²} sub-pixel outputs
     * start identical, so the untrained shuffle is a nearest-neighbour upsampling, not a checkerboard.
     */
    private Operand<TFloat32> icnrConv(String name, Operand<TFloat32> x, int in, int s) {
        int out = s * s;
        Params.Tensor one = Params.Tensor.heNormal(init, 0.1, 3, 3, in, 1);
        float[] v = new float[9 * in * out];
        for (int i = 0; i < 9 * in; i++) {
            for (int o = 0; o < out; o++) {
                v[i * out + o] = one.data()[i];
            }
        }
        Operand<TFloat32> kernel = params.get(name + "/w", new Params.Tensor(new long[] {3, 3, in, out}, v));
        Operand<TFloat32> bias = params.get(name + "/b", Params.Tensor.zeros(out));
        return tf.nn.biasAdd(tf.nn.conv2d(x, kernel, STRIDE1, "SAME"), bias);
    }

    private Operand<TFloat32> relu(Operand<TFloat32> x) {
        return tf.nn.relu(x);
    }
}
