package io.github.decrappify.train.nogan;

import io.github.decrappify.net.Critic;
import io.github.decrappify.net.Params;
import io.github.decrappify.net.SessionFactory;
import io.github.decrappify.net.Tensors;
import io.github.decrappify.net.UNet;
import io.github.decrappify.net.VariableParams;
import io.github.decrappify.train.Losses;
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
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Generator, critic and (optionally) feature encoder of a NoGAN run in one TensorFlow graph and
 * session, with four Adam train ops: generator pretraining (pixel + feature loss), generator GAN step
 * (+ adversarial), critic step (real HR vs generated, + optional self-supervised reconstruction, + the
 * spectral-norm power iterations) and encoder step (denoising autoencoder). Each op updates only its
 * own network's variables, so a generator step never changes the critic and vice versa.
 *
 * <p>Parameter names: the generator's are those of {@link UNet} (so base-model weights load as they
 * are), the critic's start with {@code critic/}, the encoder's with {@code encoder/}; Adam moments are
 * {@code adam_m:<name>} / {@code adam_v:<name>}. {@link #snapshot()} returns all of them (plus the
 * spectral-norm vectors) and {@link #load(Params)} puts any subset back, which is how checkpoints,
 * NaN roll-backs and "keep the best generator" work.
 */
public final class NoGanGraph implements AutoCloseable {

    static final String CRITIC = "critic";
    static final String ENCODER = "encoder";
    static final String M = "adam_m:";
    static final String V = "adam_v:";
    private static final float EPS = 1e-7f;

    /** Adam settings of the generator outside and inside the GAN phase (DeOldify: β1 = 0 while adversarial). */
    public static final float[] PRETRAIN_BETAS = {0.9f, 0.999f};
    public static final float[] GAN_BETAS = {0f, 0.99f};

    private final NoGanConfig cfg;
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TFloat32> lrIn;
    private final Placeholder<TFloat32> hrIn;
    private final Placeholder<TFloat32> fakeIn;
    private final Placeholder<TFloat32> encIn;
    private final Placeholder<TFloat32> rate;
    private final Placeholder<TFloat32> beta1;
    private final Placeholder<TFloat32> beta2;
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    private final Operand<TFloat32> generated;
    private final GenOps pre;
    private final GenOps gan;
    private final Op criticOp;
    private final Operand<TFloat32> criticLoss;
    private final Operand<TFloat32> criticRec;
    private final Operand<TFloat32> realScores;
    private final Operand<TFloat32> fakeScores;
    private final Op encoderOp;
    private final Operand<TFloat32> encoderLoss;
    private final Critic critic;
    private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    private final Map<String, Placeholder<TFloat32>> loadFeeds = new LinkedHashMap<>();
    private final Map<String, Op> loadOps = new LinkedHashMap<>();

    /** Ops of one generator objective. */
    private record GenOps(Op train, Operand<TFloat32> total, Operand<TFloat32> l1, Operand<TFloat32> ssim,
            Operand<TFloat32> feature, Operand<TFloat32> adversarial) {}

    /** Losses of a generator step; {@code ssim}, {@code feature}, {@code adversarial} are NaN when unused. */
    public record GenLoss(float total, float l1, float ssim, float feature, float adversarial) {
        public boolean finite() {
            return Float.isFinite(total);
        }
    }

    /**
     * Losses of a critic step: the adversarial part (what the threshold is compared with), the
     * reconstruction loss (NaN without the decoder) and the per-image mean logits before the update.
     */
    public record CriticLoss(float loss, float reconstruction, float[] realScores, float[] fakeScores) {
        public boolean finite() {
            return Float.isFinite(loss) && (Float.isNaN(reconstruction) || Float.isFinite(reconstruction));
        }

        /** Fraction of real and generated images classified correctly (relativistic: against the other side's mean). */
        public double accuracy(boolean relativistic) {
            double realRef = 0;
            double fakeRef = 0;
            if (relativistic) {
                realRef = mean(fakeScores);
                fakeRef = mean(realScores);
            }
            int ok = 0;
            for (float r : realScores) {
                ok += r > realRef ? 1 : 0;
            }
            for (float f : fakeScores) {
                ok += f < fakeRef ? 1 : 0;
            }
            return ok / (double) (realScores.length + fakeScores.length);
        }

        private static double mean(float[] v) {
            double s = 0;
            for (float x : v) {
                s += x;
            }
            return s / v.length;
        }
    }

    /**
     * @param start initial values by name (base generator weights, or a whole checkpoint); missing
     *              names are initialised fresh from {@code cfg.seed()}
     */
    public NoGanGraph(NoGanConfig cfg, Params start, boolean allowGpu) {
        this(cfg, start, allowGpu, false);
    }

    /** As above; {@code bf16} runs the session in mixed precision (fp32 variables, optimisers and losses). */
    public NoGanGraph(NoGanConfig cfg, Params start, boolean allowGpu, boolean bf16) {
        this.cfg = cfg;
        Ops tf = Ops.create(graph);
        int c = cfg.net().inputChannels();
        lrIn = tf.withName("lr_in").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, c)));
        hrIn = tf.withName("hr_in").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
        fakeIn = tf.withName("fake_in").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
        encIn = tf.withName("enc_in").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
        rate = scalar(tf, "rate");
        beta1 = scalar(tf, "beta1");
        beta2 = scalar(tf, "beta2");
        beta1Power = scalar(tf, "beta1_power");
        beta2Power = scalar(tf, "beta2_power");
        VariableParams weights = new VariableParams(tf, start);
        VariableParams state = new VariableParams(tf, start);

        generated = tf.withName("generated").identity(UNet.build(tf, weights, cfg.net(), cfg.seed(), lrIn));
        Map<String, Variable<TFloat32>> gVars = new LinkedHashMap<>(weights.variables());

        critic = new Critic(tf, CRITIC, cfg.critic(), weights, state, cfg.seed() + 1);
        Critic.Output dReal = critic.apply(hrIn);
        Critic.Output dFake = critic.apply(fakeIn);
        boolean criticFeatures = cfg.featureNet() == FeatureNet.CRITIC;
        Critic.Output dGen = critic.apply(generated);
        Map<String, Variable<TFloat32>> dVars = subset(weights.variables(), CRITIC + "/");

        Critic encoder = null;
        Critic.Output eGen = null;
        Critic.Output eReal = null;
        Operand<TFloat32> encLoss = null;
        if (cfg.featureNet() == FeatureNet.ENCODER) {
            encoder = new Critic(tf, ENCODER, cfg.encoder(), weights, state, cfg.seed() + 2);
            Critic.Output eNoisy = encoder.apply(encIn);
            encLoss = GanLosses.reconstruction(tf, eNoisy.reconstruction(), hrIn);
            eGen = encoder.apply(generated);
            eReal = encoder.apply(hrIn);
        }
        // The encoder's logits head exists (shared builder) but no loss reaches it: leave it out of Adam.
        Map<String, Variable<TFloat32>> eVars = subset(weights.variables(), ENCODER + "/");
        eVars.keySet().removeIf(n -> n.contains("/logits/"));

        Operand<TFloat32> l1 = Losses.l1(tf, generated, hrIn);
        Operand<TFloat32> ssim = cfg.ssimWeight() > 0 ? Losses.ssim(tf, generated, hrIn) : null;
        Operand<TFloat32> pixel = ssim == null ? l1
                : tf.math.add(l1, tf.math.mul(tf.constant(cfg.ssimWeight()), tf.math.sub(tf.constant(1f), ssim)));
        Operand<TFloat32> feature = null;
        if (cfg.featureNet() != FeatureNet.NONE && cfg.featureWeight() > 0) {
            feature = criticFeatures ? GanLosses.features(tf, dGen.features(), dReal.features(), cfg.featureLayers())
                    : GanLosses.features(tf, eGen.features(), eReal.features(), cfg.featureLayers());
        }
        Operand<TFloat32> preTotal = tf.math.mul(tf.constant(cfg.pixelWeight()), pixel);
        if (feature != null) {
            preTotal = tf.math.add(preTotal, tf.math.mul(tf.constant(cfg.featureWeight()), feature));
        }
        Operand<TFloat32> adv = GanLosses.adversarial(tf, dReal.logits(), dGen.logits(), cfg.relativistic());
        Operand<TFloat32> ganTotal = tf.math.add(preTotal, tf.math.mul(tf.constant(cfg.adversarialWeight()), adv));

        pre = new GenOps(adam(tf, preTotal, gVars, start, List.of()), preTotal, l1, ssim, feature, null);
        gan = new GenOps(adam(tf, ganTotal, gVars, start, List.of()), ganTotal, l1, ssim, feature, adv);

        criticLoss = GanLosses.critic(tf, dReal.logits(), dFake.logits(), cfg.relativistic());
        criticRec = cfg.selfSupervised() ? GanLosses.reconstruction(tf, dReal.reconstruction(), hrIn) : null;
        Operand<TFloat32> criticTotal = criticRec == null ? criticLoss
                : tf.math.add(criticLoss, tf.math.mul(tf.constant(cfg.reconstructionWeight()), criticRec));
        realScores = GanLosses.perImage(tf, dReal.logits());
        fakeScores = GanLosses.perImage(tf, dFake.logits());
        criticOp = adam(tf, criticTotal, dVars, start, critic.powerIterationUpdates());

        encoderLoss = encLoss;
        encoderOp = encLoss == null ? null : adam(tf, encLoss, eVars, start, List.of());

        variables.putAll(weights.variables());
        variables.putAll(state.variables());
        for (Map.Entry<String, Variable<TFloat32>> e : new ArrayList<>(variables.entrySet())) {
            Placeholder<TFloat32> p = tf.withName("load_" + VariableParams.opName(e.getKey()))
                    .placeholder(TFloat32.class);
            loadFeeds.put(e.getKey(), p);
            loadOps.put(e.getKey(), tf.assign(e.getValue(), p));
        }
        session = SessionFactory.create(graph, cfg.threads(), 2, allowGpu, bf16);
        session.initialize();
    }

    private static Placeholder<TFloat32> scalar(Ops tf, String name) {
        return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    }

    private static Map<String, Variable<TFloat32>> subset(Map<String, Variable<TFloat32>> all, String prefix) {
        Map<String, Variable<TFloat32>> out = new LinkedHashMap<>();
        all.forEach((n, v) -> {
            if (n.startsWith(prefix)) {
                out.put(n, v);
            }
        });
        return out;
    }

    /** Adam on {@code vars} (moments shared by every op that trains the same variable), after {@code extra}. */
    private Op adam(Ops tf, Operand<TFloat32> loss, Map<String, Variable<TFloat32>> vars, Params start, List<Op> extra) {
        List<String> names = new ArrayList<>(vars.keySet());
        Output<?>[] xs = names.stream().map(n -> vars.get(n).asOutput()).toArray(Output<?>[]::new);
        Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);
        List<Op> updates = new ArrayList<>(extra);
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            Variable<TFloat32> w = vars.get(n);
            Variable<TFloat32> m = slot(tf, M + n, w, start);
            Variable<TFloat32> v = slot(tf, V + n, w, start);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
            updates.add(tf.train.applyAdam(w, m, v, beta1Power, beta2Power, rate, beta1, beta2, tf.constant(EPS), g));
        }
        return tf.withControlDependencies(updates).noOp();
    }

    private Variable<TFloat32> slot(Ops tf, String name, Variable<TFloat32> like, Params start) {
        Variable<TFloat32> existing = variables.get(name);
        if (existing != null) {
            return existing;
        }
        long[] shape = like.shape().asArray();
        Params.Tensor value = start != null && start.get(name) != null ? start.get(name) : Params.Tensor.zeros(shape);
        Variable<TFloat32> var = tf.withName(VariableParams.opName(name))
                .variable(tf.constant(Shape.of(value.shape()), DataBuffers.of(value.data(), true, false)));
        variables.put(name, var);
        return var;
    }

    public NoGanConfig config() {
        return cfg;
    }

    /** Whether a variable name belongs to the generator (no prefix, not an optimiser moment). */
    public static boolean isGenerator(String name) {
        return !name.startsWith(CRITIC + "/") && !name.startsWith(ENCODER + "/") && !name.startsWith(M)
                && !name.startsWith(V);
    }

    /** One generator pretraining step (pixel + feature loss). */
    public GenLoss pretrainStep(float[] lr, float[] hr, int n, int h, int w, float learningRate, long t) {
        return generatorStep(pre, lr, hr, n, h, w, learningRate, t, PRETRAIN_BETAS);
    }

    /** One generator step of the GAN phase (adversarial + pixel + feature loss). */
    public GenLoss ganStep(float[] lr, float[] hr, int n, int h, int w, float learningRate, long t) {
        return generatorStep(gan, lr, hr, n, h, w, learningRate, t, GAN_BETAS);
    }

    private GenLoss generatorStep(GenOps ops, float[] lr, float[] hr, int n, int h, int w, float learningRate, long t,
            float[] betas) {
        int s = cfg.net().scale();
        List<TFloat32> owned = new ArrayList<>();
        try {
            Session.Runner r = session.runner().feed(lrIn, own(owned, Tensors.of(lr, n, h, w, cfg.net().inputChannels())))
                    .feed(hrIn, own(owned, Tensors.of(hr, n, (long) h * s, (long) w * s, 1)));
            adamFeeds(r, owned, learningRate, t, betas).addTarget(ops.train()).fetch(ops.total()).fetch(ops.l1());
            List<Operand<TFloat32>> optional = new ArrayList<>();
            for (Operand<TFloat32> o : new ArrayList<>(java.util.Arrays.asList(ops.ssim(), ops.feature(), ops.adversarial()))) {
                optional.add(o);
                if (o != null) {
                    r.fetch(o);
                }
            }
            try (Result res = r.run()) {
                float[] v = new float[5];
                v[0] = scalarOf(res.get(0));
                v[1] = scalarOf(res.get(1));
                int k = 2;
                for (int i = 0; i < 3; i++) {
                    v[2 + i] = optional.get(i) == null ? Float.NaN : scalarOf(res.get(k++));
                }
                return new GenLoss(v[0], v[1], v[2], v[3], v[4]);
            }
        } finally {
            owned.forEach(TFloat32::close);
        }
    }

    /**
     * One critic step: real HR patches vs generated ones ({@code [n, H, W, 1]} each), both as given.
     *
     * @param betas Adam β1, β2 ({@link #PRETRAIN_BETAS} or {@link #GAN_BETAS})
     */
    public CriticLoss criticStep(float[] real, float[] fake, int n, int h, int w, float learningRate, long t, float[] betas) {
        List<TFloat32> owned = new ArrayList<>();
        try {
            Session.Runner r = session.runner().feed(hrIn, own(owned, Tensors.of(real, n, h, w, 1)))
                    .feed(fakeIn, own(owned, Tensors.of(fake, n, h, w, 1)));
            adamFeeds(r, owned, learningRate, t, betas).addTarget(criticOp).fetch(criticLoss).fetch(realScores)
                    .fetch(fakeScores);
            if (criticRec != null) {
                r.fetch(criticRec);
            }
            try (Result res = r.run()) {
                return new CriticLoss(scalarOf(res.get(0)), criticRec == null ? Float.NaN : scalarOf(res.get(3)),
                        Tensors.values(res.get(1)), Tensors.values(res.get(2)));
            }
        } finally {
            owned.forEach(TFloat32::close);
        }
    }

    /** Critic verdicts (per-image mean logits) on HR patches, without training. */
    public float[] criticScores(float[] images, int n, int h, int w) {
        try (TFloat32 x = Tensors.of(images, n, h, w, 1); Result r = session.runner().feed(hrIn, x).fetch(realScores).run()) {
            return Tensors.values(r.get(0));
        }
    }

    /** One denoising-autoencoder step: {@code noisy} in, half-size {@code clean} out. */
    public float encoderStep(float[] clean, float[] noisy, int n, int h, int w, float learningRate, long t) {
        if (encoderOp == null) {
            throw new IllegalStateException("this graph has no feature encoder");
        }
        List<TFloat32> owned = new ArrayList<>();
        try {
            Session.Runner r = session.runner().feed(hrIn, own(owned, Tensors.of(clean, n, h, w, 1)))
                    .feed(encIn, own(owned, Tensors.of(noisy, n, h, w, 1)));
            adamFeeds(r, owned, learningRate, t, PRETRAIN_BETAS).addTarget(encoderOp).fetch(encoderLoss);
            try (Result res = r.run()) {
                return scalarOf(res.get(0));
            }
        } finally {
            owned.forEach(TFloat32::close);
        }
    }

    /** The generator's output for an NHWC LR batch. */
    public float[] predict(float[] lr, int n, int h, int w) {
        try (TFloat32 x = Tensors.of(lr, n, h, w, cfg.net().inputChannels());
                Result r = session.runner().feed(lrIn, x).fetch(generated).run()) {
            return Tensors.values(r.get(0));
        }
    }

    private Session.Runner adamFeeds(Session.Runner r, List<TFloat32> owned, float learningRate, long t, float[] betas) {
        return r.feed(rate, own(owned, Tensors.scalar(learningRate))).feed(beta1, own(owned, Tensors.scalar(betas[0])))
                .feed(beta2, own(owned, Tensors.scalar(betas[1])))
                .feed(beta1Power, own(owned, Tensors.scalar((float) Math.pow(betas[0], t))))
                .feed(beta2Power, own(owned, Tensors.scalar((float) Math.pow(betas[1], t))));
    }

    private static TFloat32 own(List<TFloat32> owned, TFloat32 t) {
        owned.add(t);
        return t;
    }

    private static float scalarOf(Tensor t) {
        return ((TFloat32) t).getFloat();
    }

    /** Every variable: weights, Adam moments and spectral-norm vectors. */
    public Params snapshot() {
        return fetch(new ArrayList<>(variables.keySet()));
    }

    /** The generator's weights only. */
    public Params generator() {
        return fetch(variables.keySet().stream().filter(NoGanGraph::isGenerator).toList());
    }

    private Params fetch(List<String> names) {
        Params p = new Params();
        Session.Runner runner = session.runner();
        names.forEach(n -> runner.fetch(variables.get(n)));
        try (Result r = runner.run()) {
            for (int i = 0; i < names.size(); i++) {
                Tensor t = r.get(i);
                p.put(names.get(i), new Params.Tensor(Tensors.shape(t), Tensors.values(t)));
            }
        }
        return p;
    }

    /** Assigns the given values (any subset of {@link #snapshot()}'s names) to the variables. */
    public void load(Params values) {
        if (values.asMap().isEmpty()) {
            return;
        }
        List<TFloat32> owned = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            values.asMap().forEach((n, t) -> {
                Placeholder<TFloat32> p = loadFeeds.get(n);
                if (p == null) {
                    throw new IllegalArgumentException("no variable " + n + " in the NoGAN graph");
                }
                runner.feed(p, own(owned, Tensors.of(t.data(), t.shape()))).addTarget(loadOps.get(n));
            });
            runner.run();
        } finally {
            owned.forEach(TFloat32::close);
        }
    }

    /**
     * Runs the critic's power iterations {@code n} times so that spectral normalisation starts from
     * converged estimates (a fresh critic's random vectors underestimate σ for the first steps).
     */
    public void convergeSpectralNorm(int n) {
        List<Op> updates = critic.powerIterationUpdates();
        if (updates.isEmpty()) {
            return;
        }
        for (int i = 0; i < n; i++) {
            Session.Runner r = session.runner();
            updates.forEach(r::addTarget);
            r.run();
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
