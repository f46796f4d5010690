package io.github.decrappify.train;

import io.github.decrappify.net.Params;
import io.github.decrappify.net.SessionFactory;
import io.github.decrappify.net.Tensors;
import io.github.decrappify.net.UNet;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.net.VariableParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The generator's training graph in one TensorFlow session: forward pass, L1 (+ SSIM) loss,
 * gradients and Adam updates. Weights and Adam moments start from a {@link Params} snapshot (fresh
 * initialisation, a checkpoint, or a model being fine-tuned), and {@link #snapshot()} reads them back
 * for checkpoints and export.
 */
public final class TrainGraph implements AutoCloseable {

    /** Prefixes of the Adam moment entries in snapshots. */
    static final String M = "adam_m:";
    static final String V = "adam_v:";
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-7f;

    private final Graph graph = new Graph();
    private final Session session;
    private final UNetConfig cfg;
    private final Placeholder<TFloat32> input;
    private final Placeholder<TFloat32> target;
    /** The blind-spot loss mask, {@code null} when the loss counts every pixel. */
    private final Placeholder<TFloat32> mask;
    private final Placeholder<TFloat32> lr;
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    private final Operand<TFloat32> output;
    private final Operand<TFloat32> loss;
    private final Operand<TFloat32> l1;
    private final Operand<TFloat32> ssim;
    private final Op trainOp;
    private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();

    public TrainGraph(UNetConfig cfg, Params start, long seed, float ssimWeight, int threads, boolean allowGpu) {
        this(cfg, start, seed, PixelLoss.L1, ssimWeight, false, threads, allowGpu, false);
    }

    /** A supervised graph whose loss is {@code pixel + ssimWeight·(1 − SSIM)}. */
    public TrainGraph(UNetConfig cfg, Params start, long seed, PixelLoss pixel, float ssimWeight, int threads,
            boolean allowGpu) {
        this(cfg, start, seed, pixel, ssimWeight, false, threads, allowGpu, false);
    }

    /** As above; {@code bf16} trains in mixed precision ({@link SessionFactory#create(org.tensorflow.Graph, int, int, boolean, boolean)}). */
    public TrainGraph(UNetConfig cfg, Params start, long seed, PixelLoss pixel, float ssimWeight, int threads,
            boolean allowGpu, boolean bf16) {
        this(cfg, start, seed, pixel, ssimWeight, false, threads, allowGpu, bf16);
    }

    /**
     * The graph of blind-spot (Noise2Void) training: the loss is {@link Losses#maskedL1} on the pixels
     * each {@link Batch#mask()} marks, and every batch must carry its mask.
     */
    public static TrainGraph blindSpot(UNetConfig cfg, Params start, long seed, int threads, boolean allowGpu) {
        return blindSpot(cfg, start, seed, threads, allowGpu, false);
    }

    /** As above; {@code bf16} trains in mixed precision. */
    public static TrainGraph blindSpot(UNetConfig cfg, Params start, long seed, int threads, boolean allowGpu,
            boolean bf16) {
        return new TrainGraph(cfg, start, seed, PixelLoss.L1, 0, true, threads, allowGpu, bf16);
    }

    private TrainGraph(UNetConfig cfg, Params start, long seed, PixelLoss pixel, float ssimWeight, boolean masked, int threads,
            boolean allowGpu, boolean bf16) {
        this.cfg = cfg;
        Ops tf = Ops.create(graph);
        input = tf.withName("input").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, -1, -1, cfg.inputChannels())));
        target = tf.withName("target").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
        lr = tf.withName("lr").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        VariableParams vp = new VariableParams(tf, start);
        output = tf.withName("output").identity(UNet.build(tf, vp, cfg, seed, input));
        mask = masked ? tf.withName("mask").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1))) : null;
        l1 = tf.withName("l1").identity(masked ? Losses.maskedL1(tf, output, target, mask) : pixel.build(tf, output, target));
        // SSIM costs ~10 % of a step: only build it into the loss when it is weighted.
        ssim = ssimWeight > 0 ? tf.withName("ssim").identity(Losses.ssim(tf, output, target)) : null;
        loss = tf.withName("loss").identity(ssimWeight > 0
                ? tf.math.add(l1, tf.math.mul(tf.constant(ssimWeight), tf.math.sub(tf.constant(1f), ssim))) : l1);

        variables.putAll(vp.variables());
        List<Variable<TFloat32>> vars = new ArrayList<>(variables.values());
        Output<?>[] xs = vars.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
        Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);
        List<Op> updates = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Variable<TFloat32>> e : vp.variables().entrySet()) {
            Params.Tensor init = vp.initial().get(e.getKey());
            Variable<TFloat32> m = slot(tf, M + e.getKey(), init, start);
            Variable<TFloat32> v = slot(tf, V + e.getKey(), init, start);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) grads[i++];
            updates.add(tf.train.applyAdam(e.getValue(), m, v, beta1Power, beta2Power, lr, tf.constant(BETA1),
                    tf.constant(BETA2), tf.constant(EPS), g));
        }
        trainOp = tf.withControlDependencies(updates).noOp();
        session = SessionFactory.create(graph, threads, 2, allowGpu, bf16);
        session.initialize();
    }

    private Variable<TFloat32> slot(Ops tf, String name, Params.Tensor like, Params start) {
        Params.Tensor value = start != null && start.get(name) != null ? start.get(name) : Params.Tensor.zeros(like.shape());
        Variable<TFloat32> var = tf.withName(io.github.decrappify.net.VariableParams.opName(name)).variable(
                tf.constant(Shape.of(value.shape()), org.tensorflow.ndarray.buffer.DataBuffers.of(value.data(), true, false)));
        variables.put(name, var);
        return var;
    }

    /** Losses of one optimiser step; {@code ssim} is NaN when the loss does not use SSIM. */
    public record StepLoss(float loss, float l1, float ssim) {}

    /**
     * One Adam step on a batch.
     *
     * @param step 1-based step number (bias correction)
     */
    public StepLoss step(Batch batch, float learningRate, long step) {
        if ((mask != null) != (batch.mask() != null)) {
            throw new IllegalArgumentException(mask != null ? "blind-spot training needs batches with a loss mask"
                    : "this graph's loss counts every pixel; it cannot take a masked batch");
        }
        try (TFloat32 x = batch.inputTensor(); TFloat32 y = batch.targetTensor();
                TFloat32 m = mask != null ? batch.maskTensor() : null;
                TFloat32 rate = Tensors.scalar(learningRate);
                TFloat32 b1 = Tensors.scalar((float) Math.pow(BETA1, step));
                TFloat32 b2 = Tensors.scalar((float) Math.pow(BETA2, step));
                Result r = fetchLosses(feedMask(session.runner().feed(input, x).feed(target, y), m).feed(lr, rate)
                        .feed(beta1Power, b1).feed(beta2Power, b2).addTarget(trainOp)).run()) {
            return new StepLoss(((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(),
                    ssim == null ? Float.NaN : ((TFloat32) r.get(2)).getFloat());
        }
    }

    private Session.Runner feedMask(Session.Runner runner, TFloat32 m) {
        return m == null ? runner : runner.feed(mask, m);
    }

    /** The L1 term of a batch under the current weights, no step taken (blind-spot graphs: the masked L1, their whole loss). */
    public float l1(Batch batch) {
        try (TFloat32 x = batch.inputTensor(); TFloat32 y = batch.targetTensor();
                TFloat32 m = mask != null ? batch.maskTensor() : null;
                Result r = feedMask(session.runner().feed(input, x).feed(target, y), m).fetch(l1).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    private Session.Runner fetchLosses(Session.Runner runner) {
        runner.fetch(loss).fetch(l1);
        return ssim == null ? runner : runner.fetch(ssim);
    }

    /** Forward pass with the current weights; {@code in} is NHWC {@code [n,h,w,c]}. */
    public float[] predict(float[] in, long n, long h, long w) {
        try (TFloat32 x = Tensors.of(in, n, h, w, cfg.inputChannels()); Result r = session.runner().feed(input, x).fetch(output).run()) {
            return Tensors.values(r.get(0));
        }
    }

    /** Current weights and Adam moments. */
    public Params snapshot() {
        Params p = new Params();
        var runner = session.runner();
        List<String> names = new ArrayList<>(variables.keySet());
        for (String name : names) {
            runner.fetch(variables.get(name));
        }
        try (Result r = runner.run()) {
            for (int i = 0; i < names.size(); i++) {
                Tensor t = r.get(i);
                p.put(names.get(i), new Params.Tensor(Tensors.shape(t), Tensors.values(t)));
            }
        }
        return p;
    }

    /** Only the network weights of a snapshot (no optimiser state). */
    public static Params weightsOnly(Params snapshot) {
        Params w = new Params();
        snapshot.asMap().forEach((k, v) -> {
            if (!k.startsWith(M) && !k.startsWith(V)) {
                w.put(k, v);
            }
        });
        return w;
    }

    public UNetConfig config() {
        return cfg;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
