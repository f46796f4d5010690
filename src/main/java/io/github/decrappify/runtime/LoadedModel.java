package io.github.decrappify.runtime;

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
import java.util.List;

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

    private LoadedModel(ZooModel<NDList, NDList> model, String device) {
        this.model = model;
        this.predictor = model.newPredictor();
        this.device = device;
    }

    /**
     * @throws RuntimeUnavailableException the TensorFlow runtime cannot load here
     * @throws IOException                 the SavedModel is missing or cannot be loaded
     */
    public static LoadedModel load(Path savedModel, Device requested) throws RuntimeUnavailableException, IOException {
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
            return load(savedModel, requested, natives);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static LoadedModel load(Path savedModel, Device requested, TensorFlowNatives.Prepared natives)
            throws RuntimeUnavailableException, IOException {
        Engine engine;
        try {
            engine = Engine.getEngine("TensorFlow");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new RuntimeUnavailableException("TensorFlow " + TensorFlowNatives.TF_VERSION + " failed to load from "
                    + natives.directory() + ": " + e.getMessage(), e);
        }
        boolean gpu = requested != Device.CPU && natives.gpuFlavour() && engine.getGpuCount() > 0;
        if (requested == Device.GPU && !gpu) {
            throw new RuntimeUnavailableException("--device gpu: TensorFlow sees no usable GPU (CUDA 12.1/cuDNN 8 "
                    + "libraries missing or incompatible driver). Use --device cpu or auto.");
        }
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(savedModel).optEngine("TensorFlow").optTranslator(new NoopTranslator())
                .optDevice(gpu ? ai.djl.Device.gpu() : ai.djl.Device.cpu()).build();
        try {
            return new LoadedModel(criteria.loadModel(), gpu ? DeviceInfo.gpuName() : DeviceInfo.cpuName());
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the SavedModel in " + savedModel + ": " + e.getMessage(), e);
        }
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
