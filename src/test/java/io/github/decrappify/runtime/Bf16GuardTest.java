package io.github.decrappify.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.RdfYaml;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The quality guard of bf16 inference (issue 15): the bundled models record a bf16 check within the bounds
 * (max |bf16 − fp32| ≤ 1 % of the fp32 output's range on the test tensor and a validation image, PSNR
 * against that image's truth within ±0.05 dB of fp32's), so {@code --precision auto} picks bf16 for them
 * on a native-bf16 CPU; and one of them re-measured here agrees with its record.
 */
class Bf16GuardTest {

    private static final List<String> BUNDLED = List.of("em-x4-unet-s", "fluo-x4-unet-s", "fluo-denoise-unet-s", "fluo-x4-confocal-unet-s");

    @Test
    void bundledModelsRecordAChecksWithinTheBounds() throws Exception {
        for (String name : BUNDLED) {
            BundleSpec.Bf16Check c = RdfYaml.read(Path.of("models", name, RdfYaml.FILE_NAME)).bf16();
            assertNotNull(c, name + " records no bf16 check");
            assertTrue(c.maxRelDiff() <= 0.01, name + ": max " + c.maxRelDiff());
            assertTrue(c.maxRelDiff() > 0, name + ": a difference of 0 means bf16 did not run");
            assertTrue(c.meanRelDiff() <= 0.002, name + ": mean " + c.meanRelDiff());
            assertTrue(c.psnrDb() >= 50, name + ": PSNR vs fp32 " + c.psnrDb());
            assertTrue(c.measuredOn().startsWith("test_tensor, validation image "), name + ": " + c.measuredOn());
            assertNotNull(c.psnrChangeDb(), name + " has no PSNR change against a truth");
            assertTrue(Math.abs(c.psnrChangeDb()) <= 0.05, name + ": PSNR change " + c.psnrChangeDb());
            assertTrue(c.withinBound(), name + ": " + c.problem());
            BundleSpec spec = RdfYaml.read(Path.of("models", name, RdfYaml.FILE_NAME));
            assertEquals(Precision.BF16, Precision.AUTO.resolve(spec, false, true).precision(), name);
            assertEquals(Precision.FP32, Precision.AUTO.resolve(spec, false, false).precision(), name);
        }
    }

    /** Re-measures the EM model's test tensor: within the bound and no worse than recorded (same CPU kind). */
    @Test
    void theEmModelMeasuresAsRecordedOnThisCpu() throws Exception {
        Assumptions.assumeTrue(Precision.cpuHasNativeBf16(), "no avx512_bf16/amx_bf16 on this CPU");
        ModelBundle b = ModelBundle.open(Path.of("models/em-x4-unet-s"));
        BundleSpec.Bf16Check recorded = b.spec().bf16();
        BundleSpec.Bf16Check now = Bf16Measurement.measure(b.savedModelDir(), b.testInput(), null, null, null);
        assertEquals("test_tensor", now.measuredOn());
        assertTrue(now.maxRelDiff() > 1e-5, "bf16 ran: max " + now.maxRelDiff());
        assertTrue(now.maxRelDiff() <= BundleSpec.Bf16Check.MAX_REL_DIFF, "max " + now.maxRelDiff());
        // the record is the worse of the test tensor and the validation image
        assertTrue(now.maxRelDiff() <= recorded.maxRelDiff() + 1e-6, now + " vs recorded " + recorded);
        assertTrue(now.psnrDb() >= recorded.psnrDb() - 0.01, now + " vs recorded " + recorded);
    }
}
