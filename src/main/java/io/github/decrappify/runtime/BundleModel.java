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

    public static BundleModel load(ModelBundle bundle, Device device) throws RuntimeUnavailableException, IOException {
        return new BundleModel(bundle.spec(), LoadedModel.load(bundle.savedModelDir(), device));
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
