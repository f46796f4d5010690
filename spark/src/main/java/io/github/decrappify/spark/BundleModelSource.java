package io.github.decrappify.spark;

import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.runtime.SpecModel;
import io.github.decrappify.tile.TileModel;
import java.nio.file.Path;

/**
 * A model bundle folder that every executor can read (shared storage), run on {@code device}: with
 * {@code auto} each executor uses its GPU when CUDA and the GPU natives are usable there, else its CPU;
 * in {@code precision} ({@link Precision#parse}: auto, fp32 or bf16), chosen per executor's CPU as on the
 * command line.
 */
public record BundleModelSource(String bundleDir, String device, String weightsId, String precision)
        implements ModelSource {

    /** In the automatic precision. */
    public BundleModelSource(String bundleDir, String device, String weightsId) {
        this(bundleDir, device, weightsId, "auto");
    }

    @Override
    public String key() {
        return "bundle:" + bundleDir + ":" + device + ":" + precision;
    }

    @Override
    public TileModel load() throws Exception {
        ModelBundle bundle = ModelBundle.open(Path.of(bundleDir));
        return BundleModel.load(bundle, Device.parse(device), Precision.parse(precision));
    }

    /** From the bundle's rdf.yaml alone: the driver plans without loading TensorFlow. */
    @Override
    public TileModel geometry() throws Exception {
        return SpecModel.geometry(ModelBundle.open(Path.of(bundleDir)).spec());
    }
}
