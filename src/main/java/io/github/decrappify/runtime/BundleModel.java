package io.github.decrappify.runtime;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.ModelBundle;
import java.io.IOException;

/**
 * A model bundle's SavedModel running in TensorFlow, as the tiling code sees it. Shapes and the size
 * grid come from the bundle's rdf.yaml, so the same class serves every bundled or imported model.
 */
public final class BundleModel extends SpecModel implements AutoCloseable {

    private final LoadedModel model;

    private BundleModel(BundleSpec spec, LoadedModel model) {
        super(spec);
        this.model = model;
    }

    /** Loads in fp32 (as before precisions existed); see {@link #load(ModelBundle, Device, Precision)}. */
    public static BundleModel load(ModelBundle bundle, Device device) throws RuntimeUnavailableException, IOException {
        return load(bundle, device, Precision.FP32);
    }

    /**
     * Loads the bundle's SavedModel in the precision {@code precision} resolves to for this bundle on
     * this machine ({@link Precision#resolve}); {@link #precision()} tells which and why.
     *
     * @throws IllegalArgumentException {@code bf16} asked on a GPU
     */
    public static BundleModel load(ModelBundle bundle, Device device, Precision precision)
            throws RuntimeUnavailableException, IOException {
        return new BundleModel(bundle.spec(), LoadedModel.load(bundle.savedModelDir(), device,
                gpu -> precision.resolve(bundle.spec(), gpu)));
    }

    /** The precision the model runs in and why, e.g. "bf16 (native bf16, bundle check 0.3 % ...)". */
    public Precision.Choice precision() {
        return model.precision();
    }

    /** The device that actually runs the model, e.g. "CPU: AMD EPYC (2 cores)". */
    public String device() {
        return model.device();
    }

    @Override
    public FloatPlane predict(FloatPlane input) {
        LoadedModel.Output out = model.predict(input.data(), 1, input.height(), input.width(), input.channels());
        int s = spec.scale();
        long[] shape = out.shape();
        if (shape.length != 4 || shape[1] != (long) input.height() * s || shape[2] != (long) input.width() * s || shape[3] != 1) {
            throw new IllegalStateException("model " + spec.name() + " returned shape " + java.util.Arrays.toString(shape)
                    + " for a " + input.width() + "x" + input.height() + " input; expected scale " + s + " and 1 channel");
        }
        return new FloatPlane(input.width() * s, input.height() * s, out.data());
    }

    @Override
    public void close() {
        model.close();
    }
}
