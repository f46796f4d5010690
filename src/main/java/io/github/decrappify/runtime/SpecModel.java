package io.github.decrappify.runtime;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.tile.TileModel;

/** A {@link TileModel} whose scale, size grid, channels and name come from a bundle's rdf.yaml. */
public abstract class SpecModel implements TileModel {

    protected final BundleSpec spec;

    protected SpecModel(BundleSpec spec) {
        this.spec = spec;
    }

    /** The model's geometry without its weights: lets a planner (e.g. a Spark driver) work without TensorFlow. */
    public static TileModel geometry(BundleSpec spec) {
        return new SpecModel(spec) {
            @Override
            public FloatPlane predict(FloatPlane input) {
                throw new UnsupportedOperationException("geometry only: load the model to predict");
            }
        };
    }

    public BundleSpec spec() {
        return spec;
    }

    @Override
    public int scale() {
        return spec.scale();
    }

    @Override
    public int sizeMultiple() {
        return spec.sizeMultiple();
    }

    @Override
    public int inputChannels() {
        return spec.inputChannels();
    }

    @Override
    public String name() {
        return spec.name();
    }
}
