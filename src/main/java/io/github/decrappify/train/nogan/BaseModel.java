package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Metrics;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.PresetIO;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.net.ConstantParams;
import io.github.decrappify.net.ParamSource;
import io.github.decrappify.net.Params;
import io.github.decrappify.net.Tensors;
import io.github.decrappify.net.UNet;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.net.VariableParams;
import io.github.decrappify.train.TrainingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The model a fine-tuning run starts from: an opened (validated) bundle, the generator configuration
 * it was built with and its weights, read back from the frozen SavedModel's constants by parameter
 * name. Only Decrappify unet-s generators can be fine-tuned; {@link #of} proves that the weights it
 * read are the model by recomputing the bundle's test output with them.
 *
 * <p>The bundle itself is only read, never written.
 */
public record BaseModel(ModelBundle bundle, UNetConfig config, Params weights, CrappifierParams crappifier) {

    /** Test output recomputed from the extracted weights must match the bundle's within this fraction of its range. */
    static final double TOLERANCE = 1e-3;

    public String name() {
        return bundle.spec().name();
    }

    /** The base model's recorded validation metrics ({@code training.validation_metrics}), or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> recordedMetrics() {
        Object m = bundle.spec().training().get("validation_metrics");
        return m instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /**
     * Reads the generator of an opened bundle.
     *
     * @throws TrainingException when the bundle is not a unet-s generator Decrappify can fine-tune
     */
    public static BaseModel of(ModelBundle bundle) throws TrainingException {
        BundleSpec spec = bundle.spec();
        String label = "model '" + spec.name() + "'";
        Map<String, Object> training = spec.training();
        Object cfgObj = training.get("config");
        Map<?, ?> trained = cfgObj instanceof Map<?, ?> m ? m : Map.of();
        Object arch = trained.get("architecture");
        if (arch != null && !"unet-s".equals(String.valueOf(arch))) {
            throw incompatible(label, "its architecture is '" + arch + "'");
        }
        int[] widths = trained.get("widths") == null ? UNetConfig.unetS(spec.scale(), 1).widths()
                : parseWidths(String.valueOf(trained.get("widths")), label);
        boolean attention = trained.get("attention") == null || Boolean.parseBoolean(String.valueOf(trained.get("attention")));
        int down = 1 << (widths.length - 1);
        if (attention && spec.sizeMultiple() % down != 0) {
            throw incompatible(label, "its size multiple " + spec.sizeMultiple() + " does not fit " + widths.length + " levels");
        }
        int window = attention ? Math.max(1, spec.sizeMultiple() / down) : 8;
        try (SavedModelBundle saved = SavedModelBundle.load(bundle.savedModelDir().toString(), SavedModelBundle.DEFAULT_TAG)) {
            int keys = attention ? attentionKeys(saved.graph(), label) : 8;
            UNetConfig cfg;
            try {
                // Bundles that do not record the head had the blur at every scale.
                boolean headBlur = trained.get("head_blur") == null || Boolean.parseBoolean(String.valueOf(trained.get("head_blur")));
                double highpass = trained.get("residual_highpass_sigma") == null ? 0
                        : Double.parseDouble(String.valueOf(trained.get("residual_highpass_sigma")));
                cfg = new UNetConfig(spec.scale(), spec.inputChannels(), widths, attention, window, keys, headBlur, highpass);
            } catch (IllegalArgumentException e) {
                throw incompatible(label, e.getMessage());
            }
            Params weights = readWeights(saved, cfg, label);
            verify(bundle, cfg, weights, label);
            CrappifierParams crappifier = null;
            if (!spec.crappifier().isEmpty()) {
                try {
                    crappifier = PresetIO.fromMap(spec.crappifier()).withScale(spec.scale());
                } catch (IllegalArgumentException e) {
                    crappifier = null; // an unreadable preset only matters for HR-only data; reported there
                }
            }
            return new BaseModel(bundle, cfg, weights, crappifier);
        } catch (org.tensorflow.exceptions.TensorFlowException e) {
            throw incompatible(label, "TensorFlow cannot read its SavedModel (" + e.getMessage() + ")");
        }
    }

    private static TrainingException incompatible(String label, String why) {
        return new TrainingException(label + " cannot be fine-tuned: " + why
                + "; start from a Decrappify unet-s model (e.g. em-x4-unet-s, fluo-x4-unet-s)");
    }

    private static int[] parseWidths(String s, String label) throws TrainingException {
        String body = s.replace("[", "").replace("]", "").strip();
        try {
            return java.util.Arrays.stream(body.split("\\s*,\\s*")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw incompatible(label, "its recorded widths '" + s + "' are not a list of integers");
        }
    }

    private static int attentionKeys(Graph g, String label) throws TrainingException {
        GraphOperation q = g.operation(VariableParams.opName("attn/q/w"));
        if (q == null) {
            throw incompatible(label, "it has no attention weights 'attn/q/w'");
        }
        long[] shape = q.output(0).shape().asArray();
        if (shape.length != 4 || shape[3] < 1) {
            throw incompatible(label, "its attention weights have shape " + java.util.Arrays.toString(shape));
        }
        return (int) shape[3];
    }

    /** Parameter names and shapes of a config, in creation order, from a throw-away graph. */
    static Map<String, long[]> parameterShapes(UNetConfig cfg) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            ParamSource recorder = (name, init) -> {
                shapes.put(name, init.shape());
                return tf.zeros(tf.constant(Shape.of(init.shape()).asArray()), TFloat32.class);
            };
            UNet.build(tf, recorder, cfg, 0, tf.placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(1, cfg.sizeMultiple(), cfg.sizeMultiple(), cfg.inputChannels()))));
        }
        return shapes;
    }

    private static Params readWeights(SavedModelBundle saved, UNetConfig cfg, String label) throws TrainingException {
        Map<String, long[]> shapes = parameterShapes(cfg);
        List<String> names = new ArrayList<>(shapes.keySet());
        Session.Runner runner = saved.session().runner();
        for (String n : names) {
            GraphOperation op = saved.graph().operation(VariableParams.opName(n));
            if (op == null) {
                throw incompatible(label, "its graph has no weight '" + n + "'");
            }
            runner.fetch(op.output(0));
        }
        Params p = new Params();
        try (Result r = runner.run()) {
            for (int i = 0; i < names.size(); i++) {
                long[] shape = Tensors.shape(r.get(i));
                if (!java.util.Arrays.equals(shape, shapes.get(names.get(i)))) {
                    throw incompatible(label, "weight '" + names.get(i) + "' has shape " + java.util.Arrays.toString(shape)
                            + ", a unet-s of its size needs " + java.util.Arrays.toString(shapes.get(names.get(i))));
                }
                p.put(names.get(i), new Params.Tensor(shape, Tensors.values(r.get(i))));
            }
        }
        return p;
    }

    /** Recomputes the bundle's test output from the extracted weights. */
    private static void verify(ModelBundle bundle, UNetConfig cfg, Params weights, String label) throws TrainingException {
        int[] in = bundle.testInput().shape();
        float[] expected = bundle.testOutput().data();
        float[] actual;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, cfg.inputChannels())));
            Operand<TFloat32> y = UNet.build(tf, new ConstantParams(tf, weights), cfg, 0, x);
            try (Session s = new Session(g); TFloat32 t = Tensors.of(bundle.testInput().data(), in[0], in[1], in[2], in[3]);
                    Result r = s.runner().feed(x, t).fetch(y).run()) {
                actual = Tensors.values(r.get(0));
            }
        }
        if (actual.length != expected.length) {
            throw incompatible(label, "its test output has " + expected.length + " values, the rebuilt generator gives "
                    + actual.length);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            lo = Math.min(lo, expected[i]);
            hi = Math.max(hi, expected[i]);
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        if (!(worst <= TOLERANCE * Math.max(1e-6, hi - lo))) {
            throw incompatible(label, String.format(java.util.Locale.ROOT,
                    "the generator rebuilt from its weights does not reproduce its test output (max difference %.3g)", worst));
        }
    }
}
