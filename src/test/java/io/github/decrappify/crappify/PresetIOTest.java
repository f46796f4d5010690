package io.github.decrappify.crappify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresetIOTest {

    @Test
    void presetsSurviveAYamlRoundTrip(@TempDir Path dir) throws Exception {
        for (String name : Presets.names()) {
            CrappifierParams p = Presets.named(name, 4);
            assertEquals(p, PresetIO.fromYaml(PresetIO.toYaml(p)));
            Path f = dir.resolve(name + ".yaml");
            PresetIO.write(f, p);
            assertEquals(p, PresetIO.read(f));
        }
    }

    @Test
    void writesReadableYaml() {
        String y = PresetIO.toYaml(Presets.em(4));
        assertTrue(y.contains("scale: 4"), y);
        assertTrue(y.contains("poisson_peak: [15.0, 150.0]"), y);
        assertTrue(y.contains("downsample: area"), y);
    }

    @Test
    void fixedLevelsAndNoShotNoise() {
        CrappifierParams p = new CrappifierParams(2, 0.5, Range.of(Double.POSITIVE_INFINITY), Range.of(0.01),
                DownsampleMode.NEAREST, false);
        String y = PresetIO.toYaml(p);
        assertTrue(y.contains("poisson_peak: .inf"), y);
        assertEquals(p, PresetIO.fromYaml(y));
    }

    @Test
    void aPresetKeySuppliesDefaults() {
        CrappifierParams p = PresetIO.fromYaml("preset: fluo\nscale: 2\ngaussian_sigma: 0.004\n");
        assertEquals(Presets.fluo(2).withNoise(Presets.fluo(2).poissonPeak(), Range.of(0.004)), p);
        assertEquals(1.0, p.blurSigma());
    }

    @Test
    void rejectsTyposAndBadValues() {
        assertThrows(IllegalArgumentException.class, () -> PresetIO.fromYaml("preset: em\nblur_sigmaa: 1\n"));
        assertThrows(IllegalArgumentException.class, () -> PresetIO.fromYaml("scale: 4\n"));
        assertThrows(IllegalArgumentException.class, () -> PresetIO.fromYaml("preset: em\nscale: 2.5\n"));
        assertThrows(IllegalArgumentException.class, () -> PresetIO.fromYaml("preset: em\npoisson_peak: [5, 1]\n"));
        assertThrows(IllegalArgumentException.class, () -> PresetIO.fromYaml("preset: em\ndownsample: lanczos\n"));
        assertThrows(IllegalArgumentException.class, () -> PresetIO.fromYaml("- 1\n- 2\n"));
        // The safe constructor refuses to build arbitrary classes.
        assertThrows(RuntimeException.class, () -> PresetIO.fromYaml("!!java.io.File [\"/tmp\"]\n"));
    }

    @Test
    void readErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "preset: nope\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PresetIO.read(f));
        assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
        // Issue 13: a YAML syntax error did not name the file, and spanned lines.
        Files.writeString(f, "scale: [4\nblur_sigma: 1\n");
        e = assertThrows(IllegalArgumentException.class, () -> PresetIO.read(f));
        assertTrue(e.getMessage().startsWith(f + " is not valid YAML: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aPresetFilesScaleIsKeptUnlessOverridden(@TempDir Path dir) throws Exception {
        // Issue 13: crappify ignored a preset file's scale (always 4), contrary to its --help.
        Path f = dir.resolve("x2.yaml");
        Files.writeString(f, "preset: fluo\nscale: 2\n");
        assertEquals(2, Presets.resolveOwnScale(f.toString(), null).scale());
        assertEquals(3, Presets.resolveOwnScale(f.toString(), 3).scale());
        assertEquals(4, Presets.resolveOwnScale("em", null).scale());
    }

    /** Smaller item of issue 13: {@code blur_sigma: 1e9} failed with "error: -1"; every number is bounded by name. */
    @Test
    void everyNumberIsBoundedWithTheKeysName() {
        String[][] cases = {
            {"blur_sigma: 1e9", "'blur_sigma' must be from 0 to 100 (HR pixels), not 1.0E9"},
            {"blur_sigma: -1", "'blur_sigma' must be from 0 to 100 (HR pixels), not -1.0"},
            {"blur_sigma: .nan", "'blur_sigma' must be from 0 to 100 (HR pixels), not NaN"},
            {"scale: 1e12", "'scale' must be an integer from 1 to 64, not 1.0E12"},
            {"scale: 0", "'scale' must be an integer from 1 to 64, not 0"},
            {"scale: 2.5", "'scale' must be an integer from 1 to 64, not 2.5"},
            {"poisson_peak: 1e-300", "'poisson_peak' must be at least 0.01 (photons at intensity 1), finite or .inf for"
                    + " no shot noise, not 1.0E-300"},
            {"poisson_peak: [5, .inf]", "'poisson_peak' must be at least 0.01 (photons at intensity 1), finite or .inf"
                    + " for no shot noise, not [5.0, Infinity]"},
            {"poisson_peak: [100, 5]", "'poisson_peak' must be [min, max] with min <= max, got [100, 5]"},
            {"gaussian_sigma: 1e300", "'gaussian_sigma' must be from 0 to 10 (normalised intensity), not 1.0E300"},
            {"gaussian_sigma: [0.01, .nan]", "'gaussian_sigma' must be [min, max] with min <= max, got [0.01, NaN]"},
        };
        for (String[] c : cases) {
            var e = assertThrows(IllegalArgumentException.class, () -> PresetIO.fromYaml("preset: em\n" + c[0] + "\n"), c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
        // The bounds themselves are usable.
        PresetIO.fromYaml("preset: em\nscale: 64\nblur_sigma: 100\npoisson_peak: 0.01\ngaussian_sigma: 10\n");
        var e = assertThrows(IllegalArgumentException.class, () -> io.github.decrappify.image.ops.Filters.gaussian(
                io.github.decrappify.image.FloatPlane.zeros(4, 4, 1), 1e9));
        assertEquals("Gaussian sigma must be from 0 to 10000 pixels, not 1.0E9", e.getMessage());
    }
}
