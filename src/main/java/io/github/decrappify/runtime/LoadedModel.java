package io.github.decrappify.runtime;

import io.github.decrappify.model.Caches;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * A TF SavedModel loaded through DJL ({@code Criteria} → {@code ZooModel} → {@code Predictor}),
 * mapping NHWC float input to NHWC float output. One instance is not thread-safe; native memory of
 * each call lives in a sub-manager closed before the call returns.
 *
 * <pre>{@code
 * try (LoadedModel m = LoadedModel.load(savedModelDir, Device.AUTO)) {
 *     float[] out = m.predict(in, 1, 256, 256, 1);
 * }
 * }</pre>
 */
public final class LoadedModel implements AutoCloseable {

    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;
    private final String device;
    private final Precision.Choice precision;

    private LoadedModel(ZooModel<NDList, NDList> model, String device, Precision.Choice precision) {
        this.model = model;
        this.predictor = model.newPredictor();
        this.device = device;
        this.precision = precision;
    }

    /** Loads in fp32, as every model did before {@link Precision} existed. */
    public static LoadedModel load(Path savedModel, Device requested) throws RuntimeUnavailableException, IOException {
        return load(savedModel, requested, gpu -> new Precision.Choice(Precision.FP32, "asked"));
    }

    /**
     * @param precision given whether the model runs on a GPU, the precision to run in ({@code BF16}
     *        switches on TensorFlow's oneDNN bf16 auto-mixed-precision rewrite for this model's session;
     *        {@code AUTO} is taken as fp32)
     * @throws RuntimeUnavailableException the TensorFlow runtime cannot load here
     * @throws IOException                 the SavedModel is missing or cannot be loaded
     * @throws IllegalArgumentException    {@code precision} refuses the device (bf16 on a GPU)
     */
    public static LoadedModel load(Path savedModel, Device requested, Function<Boolean, Precision.Choice> precision)
            throws RuntimeUnavailableException, IOException {
        TensorFlowNatives.Prepared natives = TensorFlowNatives.prepare(requested);
        if (!Files.isRegularFile(savedModel.resolve("saved_model.pb"))) {
            throw new IOException("no saved_model.pb in " + savedModel);
        }
        // DJL finds its engine through ServiceLoader on the thread's class loader: in Fiji the caller's
        // thread (a script, CommandService) knows Fiji's loader, not the isolated one holding DJL.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(LoadedModel.class.getClassLoader());
        try {
            return load(savedModel, requested, natives, precision);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static LoadedModel load(Path savedModel, Device requested, TensorFlowNatives.Prepared natives,
            Function<Boolean, Precision.Choice> precision) throws RuntimeUnavailableException, IOException {
        Engine engine;
        try {
            engine = Engine.getEngine("TensorFlow");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new RuntimeUnavailableException("TensorFlow " + Caches.TENSORFLOW_VERSION + " failed to load from "
                    + natives.directory() + ": " + e.getMessage(), e);
        }
        boolean gpu = requested != Device.CPU && natives.gpuFlavour() && engine.getGpuCount() > 0;
        if (requested == Device.GPU && !gpu) {
            throw new RuntimeUnavailableException("--device gpu: TensorFlow sees no usable GPU (CUDA 12.1/cuDNN 8 "
                    + "libraries missing or incompatible driver). Use --device cpu or auto.");
        }
        Precision.Choice choice = precision.apply(gpu);
        Criteria.Builder<NDList, NDList> builder = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(savedModel).optEngine("TensorFlow").optTranslator(new NoopTranslator())
                .optDevice(gpu ? ai.djl.Device.gpu() : ai.djl.Device.cpu());
        if (choice.precision() == Precision.BF16) {
            builder.optOption("ConfigProto", Base64.getEncoder().encodeToString(sessionConfig(true).toByteArray()));
        }
        try {
            return new LoadedModel(builder.build().loadModel(), gpu ? DeviceInfo.gpuName() : DeviceInfo.cpuName(),
                    choice.precision() == Precision.BF16 ? choice : new Precision.Choice(Precision.FP32, choice.reason()));
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the SavedModel in " + savedModel + ": " + e.getMessage(), e);
        }
    }

    /**
     * The session configuration DJL would use (its thread properties, GPU list), with the oneDNN bf16
     * auto-mixed-precision rewrite on when {@code bf16}. Raw sessions (the bench's matrix-multiply peak)
     * use it too, so they run on the same threads as models.
     */
    public static ConfigProto sessionConfig(boolean bf16) {
        ConfigProto.Builder cfg = ai.djl.tensorflow.engine.javacpp.JavacppUtils.getSessionConfig().toBuilder();
        if (bf16) {
            GraphOptions.Builder graph = cfg.getGraphOptionsBuilder();
            graph.setRewriteOptions(graph.getRewriteOptions().toBuilder()
                    .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON));
        }
        return cfg.build();
    }

    /** Runs the model on an NHWC batch and returns the NHWC output values. */
    public Output predict(float[] input, int n, int h, int w, int c) {
        try (NDManager mgr = model.getNDManager().newSubManager()) {
            NDArray x = mgr.create(input, new Shape(n, h, w, c));
            NDArray y = predictor.predict(new NDList(x)).singletonOrThrow();
            long[] shape = y.getShape().getShape();
            return new Output(y.toFloatArray(), shape);
        } catch (TranslateException e) {
            throw new IllegalStateException("TensorFlow failed on a " + w + "x" + h + "x" + c + " input: " + e.getMessage(), e);
        }
    }

    /** Output values and their NHWC shape. */
    public record Output(float[] data, long[] shape) {}

    /** The precision this model runs in ({@code FP32} or {@code BF16}) and why. */
    public Precision.Choice precision() {
        return precision;
    }

    /** Which device actually runs this model, for logs and the Fiji status line. */
    public String device() {
        return device;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    /** Human-readable device names without loading CUDA tools. */
    static final class DeviceInfo {
        private DeviceInfo() {}

        static String cpuName() {
            String model = "CPU";
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("model name")) {
                        model = line.substring(line.indexOf(':') + 1).trim();
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux or unreadable: the generic name is enough.
            }
            return "CPU: " + model + " (" + Runtime.getRuntime().availableProcessors() + " cores"
                    + (TensorFlowNatives.oneDnnEnabled() ? ", oneDNN" : "") + ")";
        }

        static String gpuName() {
            try (var dirs = Files.list(Path.of("/proc/driver/nvidia/gpus"))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    List<String> lines = Files.readAllLines(d.resolve("information"));
                    for (String line : lines) {
                        if (line.startsWith("Model:")) {
                            return "GPU: " + line.substring(6).trim();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Fall through to the generic name.
            }
            return "GPU: CUDA device 0";
        }
    }
}
