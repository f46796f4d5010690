package io.github.decrappify.testutil;

import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.BundleWriter;
import io.github.decrappify.model.Npy;
import io.github.decrappify.net.SavedModelExport;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.LoadedModel;
import io.github.decrappify.runtime.TensorFlowNatives;
import io.github.decrappify.train.TrainGraph;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real, valid model bundles of an untrained unet-s for tests that need the whole TensorFlow path
 * (export, bundle checks, DJL loading). Building one takes a few seconds: create it once per test class
 * ({@code @BeforeAll} with a static {@code @TempDir}).
 */
public final class TestBundles {

    /** Tile and halo written into the bundles: small, so test images cross tile borders. */
    public static final int TILE = 64;
    public static final int HALO = 16;
    /** Validation metrics recorded in the bundle's training provenance (what {@code models show} prints). */
    public static final double PSNR = 27.5;
    public static final double SSIM = 0.81;

    private TestBundles() {}

    /**
     * Writes the bundle folder {@code <parent>/<name>} of an untrained single-frame unet-s with the given
     * scale (EM, licence CC-BY-4.0, size grid 64), with test tensors computed by the exported model.
     */
    public static Path create(Path parent, String name, int scale) throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        UNetConfig cfg = UNetConfig.unetS(scale, 1);
        Path savedModel = parent.resolve("." + name + "-savedmodel");
        try (TrainGraph graph = new TrainGraph(cfg, null, 1L, 0f, 1, false)) {
            SavedModelExport.export(cfg, TrainGraph.weightsOnly(graph.snapshot()), savedModel);
        }
        int g = cfg.sizeMultiple();
        float[] in = new float[g * g];
        Random rng = new Random(7);
        for (int i = 0; i < in.length; i++) {
            in[i] = rng.nextFloat();
        }
        float[] out;
        try (LoadedModel model = LoadedModel.load(savedModel, Device.CPU)) {
            out = model.predict(in, 1, g, g, 1).data();
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("images", 2);
        metrics.put("psnr", PSNR);
        metrics.put("ssim", SSIM);
        metrics.put("bicubic_psnr", 24.0);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", List.of("synthetic test data"));
        training.put("data_note", "random weights, no training data");
        training.put("steps", 0);
        training.put("validation_metrics", metrics);
        BundleSpec spec = BundleSpec.builder(name, scale, BundleSpec.Modality.EM)
                .optDescription("Untrained unet-s x" + scale + " for tests")
                .optAuthors(List.of(new BundleSpec.Author("Test Author", null)))
                .optLicense("CC-BY-4.0")
                .optSizes(g, g)
                .optTiling(TILE, HALO)
                .optTraining(training)
                .build();
        return new BundleWriter(spec, savedModel, new Npy.Tensor(new int[] {1, g, g, 1}, in),
                new Npy.Tensor(new int[] {1, g * scale, g * scale, 1}, out)).write(parent);
    }
}
