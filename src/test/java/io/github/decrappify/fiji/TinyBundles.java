package io.github.decrappify.fiji;

import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.BundleWriter;
import io.github.decrappify.model.Npy;
import io.github.decrappify.net.Params;
import io.github.decrappify.net.SavedModelExport;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.LoadedModel;
import io.github.decrappify.runtime.TensorFlowNatives;
import io.github.decrappify.train.TrainGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real, untrained generator (two levels, 8/16 wide, no attention) exported as a model bundle. */
final class TinyBundles {

    private TinyBundles() {
    }

    /** Writes bundle {@code <parent>/<name>/} of a scale-{@code scale} model and returns its folder. */
    static Path write(Path parent, String name, int scale) throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        UNetConfig cfg = new UNetConfig(scale, 1, new int[] {8, 16}, false, 8, 8);
        Params weights;
        try (TrainGraph graph = new TrainGraph(cfg, null, 7, 0f, 1, false)) {
            weights = TrainGraph.weightsOnly(graph.snapshot());
        }
        Path savedModel = parent.resolve(name + "-savedmodel");
        SavedModelExport.export(cfg, weights, savedModel);
        int g = 8;
        float[] in = new float[g * g];
        for (int i = 0; i < in.length; i++) {
            in[i] = (i % g) / (float) g;
        }
        float[] out;
        try (LoadedModel m = LoadedModel.load(savedModel, Device.CPU)) {
            out = m.predict(in, 1, g, g, 1).data();
        }
        BundleSpec spec = BundleSpec.builder(name, scale, BundleSpec.Modality.EM)
                .optDescription("Untrained tiny generator; for tests")
                .optAuthors(List.of(new BundleSpec.Author("Test Author", null)))
                .optLicense("BSD-2-Clause")
                .optSizes(cfg.sizeMultiple(), cfg.sizeMultiple())
                .optTiling(32, 8)
                .optTraining(Map.of("steps", 0, "seed", 7))
                .build();
        int[] cover = new int[48 * 16]; // three panels, as LR | restored | HR
        for (int i = 0; i < cover.length; i++) {
            int level = 60 + 80 * ((i % 48) / 16);
            cover[i] = level << 16 | level << 8 | level;
        }
        return new BundleWriter(spec, savedModel, new Npy.Tensor(new int[] {1, g, g, 1}, in),
                new Npy.Tensor(new int[] {1, g * scale, g * scale, 1}, out)).optCover(cover, 48, 16).write(parent);
    }
}
