package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Filters;
import io.github.decrappify.image.ops.Percentiles;
import io.github.decrappify.image.ops.Resample;
import io.github.decrappify.metrics.Frc;
import io.github.decrappify.metrics.FrcCurve;
import io.github.decrappify.net.SavedModelExport;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.LoadedModel;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation scores written into bundles: PSNR/SSIM and FRC of the model and both baselines. */
class ModelExportMetricsTest {

    @TempDir
    Path dir;

    @Test
    void exportedModelIsScoredWithFrcNextToTheBaselines() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        Path savedModel = dir.resolve("sm");
        try (TrainGraph g = new TrainGraph(TinyTraining.NET, null, 3L, 0f, 1, false)) {
            SavedModelExport.export(TinyTraining.NET, TrainGraph.weightsOnly(g.snapshot()), savedModel);
        }
        Random r = new Random(4);
        float[] noise = new float[128 * 128];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = r.nextFloat();
        }
        FloatPlane hr = Percentiles.normalise(Filters.gaussian(new FloatPlane(128, 128, noise), 3));
        Crappifier c = new Crappifier(Presets.em(2));
        FloatPlane lr = c.apply(hr, c.params().typicalLevel(), new Random(5));
        try (LoadedModel m = LoadedModel.load(savedModel, Device.CPU)) {
            ModelExport.Scores s = ModelExport.evaluate(m, List.of(new TrainingPair("v", hr, lr)), 2);
            FloatPlane pred = new FloatPlane(128, 128, m.predict(lr.data(), 1, 64, 64, 1).data());
            FrcCurve model = Frc.compute(hr, pred);
            assertEquals(model.resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels(), s.modelFrc(), 1e-9);
            assertEquals(model.resolution(FrcCurve.Threshold.HALF_BIT).pixels(), s.modelFrcHalfBit(), 1e-9);
            assertTrue(s.modelFrcHalfBit() >= s.modelFrc(), "the half-bit threshold lies above 1/7");
            assertEquals(Frc.compute(hr, Resample.bicubic(lr, 2)).resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels(),
                    s.bicubicFrc(), 1e-9);
            // A noisy x2 LR of structure blurred at 3 HR px: the bicubic resolves well above Nyquist, not below it.
            assertTrue(s.bicubicFrc() > 2 && s.bicubicFrc() < 40, "bicubic FRC " + s.bicubicFrc());
            Map<String, Object> yaml = ModelExport.metrics(s);
            assertEquals(List.of("images", "psnr", "ssim", "frc_px", "frc_halfbit_px", "bicubic_psnr", "bicubic_ssim",
                    "bicubic_frc_px", "smoothed_bicubic_psnr", "smoothed_bicubic_ssim", "smoothed_bicubic_frc_px",
                    "smoothed_bicubic_mean_sigma"), List.copyOf(yaml.keySet()));
            assertEquals(ModelExport.round(s.modelFrc()), yaml.get("frc_px"));
        }
    }
}
