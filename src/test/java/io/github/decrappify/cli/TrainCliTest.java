package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.testutil.Blobs;
import io.github.decrappify.model.BioimageIoSchema;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.runtime.Versions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code decrappify train} end to end on tiny data: the bundle records a command line that can be retyped. */
class TrainCliTest {

    @TempDir
    Path tmp;

    @Test
    void shellQuotingKeepsArgumentsApart() {
        assertEquals("plain/path-1.tif", Main.shellQuote("plain/path-1.tif"));
        assertEquals("'two words'", Main.shellQuote("two words"));
        assertEquals("''", Main.shellQuote(""));
        assertEquals("'it'\\''s'", Main.shellQuote("it's"));
    }

    @Test
    void trainsAndRecordsTheCommandAndVersions() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        for (int i = 0; i < 2; i++) {
            Blobs.write(hr.resolve("img" + i + ".tif"), 128, 10 + i);
        }
        Path val = Files.createDirectories(tmp.resolve("val"));
        Blobs.write(val.resolve("v.tif"), 128, 99);
        Path out = tmp.resolve("blobs-x2");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo", "--steps", "3", "--patch", "16", "--batch", "2", "--warmup", "1",
                "--validate-every", "3", "--device", "cpu", "--description", "blobs, two words", "--log-every", "1");
        assertEquals(0, r.code(), r.err());
        ModelBundle b = ModelBundle.open(out);
        Map<?, ?> training = b.spec().training();
        String command = (String) training.get("command");
        assertTrue(command.startsWith("bin/decrappify train -o "), command);
        assertTrue(command.contains("--description 'blobs, two words'"), command);
        assertEquals(Versions.decrappify(), ((Map<?, ?>) training.get("versions")).get("decrappify"));
        assertTrue(Versions.decrappify().matches("\\d+\\.\\d+\\.\\d+.*"), Versions.decrappify());
        BioimageIoSchema.assertPublishable(out);
    }

    @Test
    void aLicenceOtherToolsWouldRejectFailsBeforeTraining() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Blobs.write(hr.resolve("img0.tif"), 128, 10);
        Path out = tmp.resolve("licensed");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--scale", "2", "--preset", "fluo",
                "--steps", "3", "--device", "cpu", "--license", "LicenseRef-research-only");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("decrappify train: error: license 'LicenseRef-research-only' is not an SPDX licence"
                + " identifier; bioimage.io accepts SPDX identifiers only"), r.err());
        assertTrue(!Files.exists(tmp.resolve("licensed.work")), "nothing trained");
    }

    @Test
    void aBundleNameThatCannotBeAModelNameFailsBeforeTraining() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Blobs.write(hr.resolve("img0.tif"), 128, 10);
        Path out = tmp.resolve("my model");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--scale", "2", "--preset", "fluo",
                "--steps", "3", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertEquals("decrappify train: error: the --output folder's name becomes the model's name: name must be 1–64 letters,"
                + " digits, '.', '_' or '-' starting with a letter or digit (got 'my model')", r.err().strip());
        assertTrue(!Files.exists(tmp.resolve("my model.work")), "nothing trained, no checkpoint folder");
    }

    @Test
    void validationImagesSmallerThanTheGridAreAClearError() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Blobs.write(hr.resolve("img0.tif"), 128, 1);
        Path val = Files.createDirectories(tmp.resolve("val"));
        Blobs.write(val.resolve("small.tif"), 100, 2);
        Path out = tmp.resolve("never");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo", "--steps", "2", "--patch", "16", "--batch", "2", "--device", "cpu");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("no validation image is large enough") && r.err().contains("128x128")
                && r.err().contains("small.tif (100x100)"), r.err());
        assertTrue(Files.notExists(out), "no bundle");
    }

    @Test
    void theDataRecipeReachesTheBundle() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        for (int i = 0; i < 2; i++) {
            Blobs.write(hr.resolve("img" + i + ".tif"), 128, 20 + i);
        }
        Path val = Files.createDirectories(tmp.resolve("val"));
        Blobs.write(val.resolve("v.tif"), 128, 98);
        Path out = tmp.resolve("recipe-x2");
        CliTest.Run r = CliTest.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo", "--steps", "2", "--patch", "16", "--batch", "2", "--warmup", "1",
                "--device", "cpu", "--norm-percentiles", "0.5,99.5", "--aug-gain", "0.7,1.3", "--aug-offset", "0.05");
        assertEquals(0, r.code(), r.err());
        ModelBundle b = ModelBundle.open(out);
        assertEquals(0.5, b.spec().normalisation().lowPercentile());
        assertEquals(99.5, b.spec().normalisation().highPercentile());
        Map<?, ?> config = (Map<?, ?>) b.spec().training().get("config");
        assertEquals("0.7,1.3", config.get("aug_gain"));
    }

    @Test
    void aMalformedRangeNamesItsOption() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Blobs.write(hr.resolve("img0.tif"), 128, 10);
        CliTest.Run r = CliTest.run("train", "-o", tmp.resolve("x").toString(), "--hr", hr.toString(), "--scale", "2",
                "--preset", "fluo", "--aug-gain", "1.3", "--device", "cpu");
        assertTrue(r.code() != 0, r.out());
        assertTrue(r.err().contains("--aug-gain takes two numbers separated by a comma, got '1.3'"), r.err());
    }
}
