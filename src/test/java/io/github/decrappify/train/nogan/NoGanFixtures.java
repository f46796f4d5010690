package io.github.decrappify.train.nogan;

import ij.IJ;
import ij.ImagePlus;
import ij.process.FloatProcessor;
import io.github.decrappify.crappify.PresetIO;
import io.github.decrappify.crappify.Presets;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small, real inputs for the NoGAN tests: a two-level ×2 unet (8/16 wide, 4×4 attention windows) as
 * base-model bundle, and folders of crops of the real ssTEM section in {@code test-data/}.
 */
public final class NoGanFixtures {

    public static final UNetConfig TINY = new UNetConfig(2, 1, new int[] {8, 16}, true, 4, 4);
    /** The real EM section shipped in test-data (256×256, stack 2 of Gerhard et al. 2013). */
    public static final Path EM = Path.of("test-data/em_lr_stack2_s00.tif");

    private NoGanFixtures() {}

    /** Training config entries as a Decrappify-trained bundle records them. */
    public static Map<String, Object> tinyTrainingConfig() {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("architecture", "unet-s");
        cfg.put("widths", "[8, 16]");
        cfg.put("attention", true);
        return cfg;
    }

    /** A valid bundle of an untrained {@link #TINY} generator with the em preset, written to {@code parent/name}. */
    public static Path tinyBase(Path parent, String name) throws Exception {
        return tinyBase(parent, name, tinyTrainingConfig());
    }

    public static Path tinyBase(Path parent, String name, Map<String, Object> trainingConfig) throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        Params weights;
        try (TrainGraph g = new TrainGraph(TINY, null, 3, 0f, 1, false)) {
            weights = TrainGraph.weightsOnly(g.snapshot());
        }
        Files.createDirectories(parent);
        Path savedModel = Files.createTempDirectory("nogan-base").resolve("sm");
        SavedModelExport.export(TINY, weights, savedModel);
        int e = TINY.sizeMultiple();
        float[] in = new float[e * e];
        Random r = new Random(1);
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextFloat();
        }
        float[] out;
        try (LoadedModel m = LoadedModel.load(savedModel, Device.CPU)) {
            out = m.predict(in, 1, e, e, 1).data();
        }
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("config", trainingConfig);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("psnr", 20.0);
        training.put("validation_metrics", metrics);
        BundleSpec spec = BundleSpec.builder(name, 2, BundleSpec.Modality.EM)
                .optDescription("Untrained tiny generator for NoGAN tests")
                .optAuthors(List.of(new BundleSpec.Author("Test Author", null)))
                .optLicense("CC-BY-4.0")
                .optSizes(e, e)
                .optTiling(32, 8)
                .optCrappifier(PresetIO.toMap(Presets.em(2)))
                .optTraining(training)
                .build();
        try {
            return new BundleWriter(spec, savedModel, new Npy.Tensor(new int[] {1, e, e, 1}, in),
                    new Npy.Tensor(new int[] {1, e * 2, e * 2, 1}, out)).write(parent);
        } finally {
            io.github.decrappify.image.Folders.deleteTree(savedModel.getParent());
        }
    }

    /** The real EM section as a float image. */
    public static FloatProcessor em() {
        ImagePlus imp = IJ.openImage(EM.toString());
        return imp.getProcessor().convertToFloatProcessor();
    }

    /** {@code n} non-identical {@code size}² crops of the EM section as 32-bit TIFFs {@code em0.tif…} in {@code dir}. */
    public static Path emFolder(Path dir, int n, int size) throws Exception {
        Files.createDirectories(dir);
        FloatProcessor fp = em();
        int span = fp.getWidth() - size;
        for (int i = 0; i < n; i++) {
            int x = span * (i % 3) / 2;
            int y = span * ((i / 3) % 3) / 2;
            fp.setRoi(x, y, size, size);
            IJ.saveAsTiff(new ImagePlus("em" + i, fp.crop()), dir.resolve("em" + i + ".tif").toString());
        }
        return dir;
    }
}
