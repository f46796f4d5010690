package io.github.decrappify.spark;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.tile.TileModel;
import java.nio.file.Path;

/**
 * A model bundle folder that every executor can read (shared storage), run on {@code device}: with
 * {@code auto} each executor uses its GPU when CUDA and the GPU natives are usable there, else its CPU.
 */
public record BundleModelSource(String bundleDir, String device, String weightsId) implements ModelSource {

    @Override
    public String key() {
        return "bundle:" + bundleDir + ":" + device;
    }

    @Override
    public TileModel load() throws Exception {
        ModelBundle bundle = ModelBundle.open(Path.of(bundleDir));
        return BundleModel.load(bundle, Device.parse(device));
    }

    /** From the bundle's rdf.yaml alone: the driver plans without loading TensorFlow. */
    @Override
    public TileModel geometry() throws Exception {
        BundleSpec spec = ModelBundle.open(Path.of(bundleDir)).spec();
        return new TileModel() {
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

            @Override
            public FloatPlane predict(FloatPlane input) {
                throw new UnsupportedOperationException("geometry only");
            }
        };
    }
}
