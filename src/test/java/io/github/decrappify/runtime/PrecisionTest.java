package io.github.decrappify.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.RdfYaml;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code --precision} resolves per CPU, device and bundle check, and how the check is stored. */
class PrecisionTest {

    private static BundleSpec spec(BundleSpec.Bf16Check check) {
        return BundleSpec.builder("p", 4, BundleSpec.Modality.EM).optLicense("CC-BY-4.0")
                .optAuthors(List.of(new BundleSpec.Author("A", null))).optBf16(check).build();
    }

    private static final BundleSpec.Bf16Check GOOD = new BundleSpec.Bf16Check(0.004, 0.0004, 58.1, "AMD EPYC");
    private static final BundleSpec.Bf16Check BAD = new BundleSpec.Bf16Check(0.02, 0.001, 45.0, "AMD EPYC");

    @Test
    void cpuFlagsAreReadFromTheFlagsLine() {
        assertTrue(Precision.hasNativeBf16("processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16 avx512_vnni\n"));
        assertTrue(Precision.hasNativeBf16("flags\t\t: fpu amx_bf16 amx_tile\n"));
        assertFalse(Precision.hasNativeBf16("flags\t\t: fpu avx2 avx512f avx512_vnni\n"));
        assertFalse(Precision.hasNativeBf16("model name\t: avx512_bf16 lookalike\nflags\t: fpu avx2\n"));
    }

    @Test
    void autoIsBf16OnlyWithNativeBf16AndAGoodCheck() {
        assertEquals(Precision.BF16, Precision.AUTO.resolve(spec(GOOD), false, true).precision());
        assertEquals(Precision.FP32, Precision.AUTO.resolve(spec(GOOD), false, false).precision());
        assertEquals(Precision.FP32, Precision.AUTO.resolve(spec(GOOD), true, true).precision());
        assertEquals(Precision.FP32, Precision.AUTO.resolve(spec(null), false, true).precision());
        Precision.Choice over = Precision.AUTO.resolve(spec(BAD), false, true);
        assertEquals(Precision.FP32, over.precision());
        assertTrue(over.reason().contains("2.0 % > 1.0 %"), over.reason());
        assertEquals(Precision.FP32, Precision.FP32.resolve(spec(GOOD), false, true).precision());
        assertEquals(Precision.BF16, Precision.BF16.resolve(spec(BAD), false, true).precision());
        assertThrows(IllegalArgumentException.class, () -> Precision.BF16.resolve(spec(GOOD), true, true));
    }

    @Test
    void autoRefusesACheckThatMovesPsnrAgainstTheTruthByMoreThanTheBound() {
        BundleSpec.Bf16Check ok = new BundleSpec.Bf16Check(0.004, 0.0004, 58.1, -0.05, "test_tensor, validation image v.tif", "X");
        BundleSpec.Bf16Check off = new BundleSpec.Bf16Check(0.004, 0.0004, 58.1, 0.08, "test_tensor, validation image v.tif", "X");
        assertEquals(Precision.BF16, Precision.AUTO.resolve(spec(ok), false, true).precision());
        Precision.Choice c = Precision.AUTO.resolve(spec(off), false, true);
        assertEquals(Precision.FP32, c.precision());
        assertTrue(c.reason().contains("changes PSNR against the truth by +0.080 dB (bound ±0.05 dB)"), c.reason());
    }

    @Test
    void parseNamesTheOption() {
        assertEquals(Precision.BF16, Precision.parse(" BF16"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
        assertEquals("--precision must be auto, fp32 or bf16, not 'fp16'", e.getMessage());
    }

    @Test
    void theCheckSurvivesRdfYamlAndBadValuesAreRefused() throws BundleException {
        BundleSpec bundled = RdfYaml.read(Path.of("models/em-x4-unet-s/rdf.yaml"));
        String yaml = RdfYaml.write(bundled.withBf16(GOOD));
        assertTrue(yaml.contains("max_rel_diff: 0.004"), yaml);
        assertEquals(GOOD, RdfYaml.read(yaml).bf16());
        assertEquals(bundled.withBf16(GOOD), RdfYaml.read(yaml));
        assertEquals(null, RdfYaml.read(RdfYaml.write(bundled.withBf16(null))).bf16());
        BundleSpec.Bf16Check full = new BundleSpec.Bf16Check(0.004, 0.0004, 58.1, -0.0012, "test_tensor, validation image v.tif",
                "AMD EPYC (native bf16)");
        String fullYaml = RdfYaml.write(bundled.withBf16(full));
        assertTrue(fullYaml.contains("psnr_change_vs_truth_db: -0.0012"), fullYaml);
        assertEquals(full, RdfYaml.read(fullYaml).bf16());
        BundleException e = assertThrows(BundleException.class,
                () -> RdfYaml.read(yaml.replace("max_rel_diff: 0.004", "max_rel_diff: -1")));
        assertTrue(e.getMessage().contains("bf16.max_rel_diff"), e.getMessage());
    }
}
