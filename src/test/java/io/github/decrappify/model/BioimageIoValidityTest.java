package io.github.decrappify.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Bundles other bioimage.io tools accept: the bundled models against the specification's JSON Schema and
 * its cover/tag/maintainer/halo rules (exported bundles are checked where the tests export them:
 * {@code TrainCliTest}, {@code cli.FineTuneCommandTest}, {@code cli.ModelsCommandTest}).
 */
class BioimageIoValidityTest {

    @Test
    void everyBundledModelValidates() throws Exception {
        List<Path> bundles;
        try (Stream<Path> models = Files.list(Path.of("models"))) {
            bundles = models.filter(p -> Files.isRegularFile(p.resolve("rdf.yaml"))).sorted().toList();
        }
        assertTrue(bundles.size() >= 2, bundles.toString());
        for (Path b : bundles) {
            BioimageIoSchema.assertPublishable(b);
            ModelBundle.open(b); // and Decrappify still opens it, checksums included
        }
    }

    @Test
    void theSchemaCatchesWhatTheBundledModelsOnceGotWrong() throws Exception {
        Path dir = Files.createTempDirectory("rdf");
        String valid = Files.readString(Path.of("models/fluo-x4-unet-s/rdf.yaml"));
        Path bad = dir.resolve("rdf.yaml");
        Files.writeString(bad, valid.replace("format_version: " + RdfYaml.FORMAT_VERSION, "format_version: 0.5.3")
                .replaceFirst("license: \\S+", "license: LicenseRef-ISBI2012-research-only"));
        List<String> errors = BioimageIoSchema.errors(bad);
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("/format_version")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("/license")), errors.toString());
    }

    @Test
    void licencesMustBeSpdxIdentifiers() {
        assertTrue(Licenses.isSpdx("CC-BY-NC-4.0"));
        assertTrue(Licenses.isSpdx("CC0-1.0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Licenses.requireSpdx("LicenseRef-ISBI2012-research-only"));
        assertTrue(e.getMessage().startsWith("license 'LicenseRef-ISBI2012-research-only' is not an SPDX licence identifier;"),
                e.getMessage());
        assertEquals("license 'cc-by-4.0' is not an SPDX licence identifier (did you mean CC-BY-4.0?)",
                assertThrows(IllegalArgumentException.class, () -> Licenses.requireSpdx("cc-by-4.0")).getMessage());
    }

    @Test
    void coversAreGrayPngsHalvedUntilTheyFitIn500kB() throws Exception {
        int w = 1200;
        BufferedImage noise = new BufferedImage(w, w, BufferedImage.TYPE_INT_RGB);
        Random rng = new Random(1);
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                int v = rng.nextInt(256);
                noise.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        byte[] png = BundleWriter.coverPng(noise);
        assertTrue(png.length <= BundleWriter.MAX_COVER_BYTES, png.length + " bytes");
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, back.getType());
        assertEquals(w / 2, back.getWidth(), "1200² noise is 1.4 MB as gray PNG, 600² fits");
        assertEquals(back.getWidth(), back.getHeight(), "aspect kept");
    }
}
