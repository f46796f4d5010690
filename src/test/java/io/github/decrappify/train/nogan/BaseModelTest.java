package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Metrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.crappify.PresetIO;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.train.TrainingException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a base model's generator back from its frozen SavedModel, and refusing what is not a unet-s. */
class BaseModelTest {

    @TempDir
    Path dir;

    @Test
    void bundledEmModelIsReadAndReproducesItsTestOutput() throws Exception {
        BaseModel base = BaseModel.of(ModelBundle.open(Path.of("models/em-x4-unet-s")));
        assertEquals(UNetConfig.unetS(4, 1), base.config());
        long count = base.weights().count();
        assertTrue(count > 2_700_000 && count < 2_900_000, "unet-s x4 has ~2.8 M parameters, read " + count);
        // the bundled EM model was trained with the wide-noise preset of the quality tools
        assertEquals(PresetIO.read(Path.of("docs/tools/quality/presets/em_wide.yaml")), base.crappifier());
        assertNotNull(base.recordedMetrics().get("psnr"));
    }

    @Test
    void tinyBaseRoundTrips() throws Exception {
        BaseModel base = BaseModel.of(ModelBundle.open(NoGanFixtures.tinyBase(dir, "tiny")));
        assertEquals(NoGanFixtures.TINY, base.config());
        assertEquals(BaseModel.parameterShapes(NoGanFixtures.TINY).keySet(), base.weights().asMap().keySet());
    }

    @Test
    void otherArchitecturesAreRefused() throws Exception {
        Map<String, Object> cfg = NoGanFixtures.tinyTrainingConfig();
        cfg.put("architecture", "resnet-9");
        ModelBundle b = ModelBundle.open(NoGanFixtures.tinyBase(dir, "resnet", cfg));
        TrainingException e = assertThrows(TrainingException.class, () -> BaseModel.of(b));
        assertTrue(e.getMessage().contains("cannot be fine-tuned") && e.getMessage().contains("resnet-9"), e.getMessage());
    }

    @Test
    void wrongRecordedSizeIsRefusedWithTheMissingWeight() throws Exception {
        Map<String, Object> cfg = NoGanFixtures.tinyTrainingConfig();
        cfg.put("widths", "[8, 16, 32]");
        ModelBundle b = ModelBundle.open(NoGanFixtures.tinyBase(dir, "lying", cfg));
        TrainingException e = assertThrows(TrainingException.class, () -> BaseModel.of(b));
        assertTrue(e.getMessage().contains("cannot be fine-tuned"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }
}
