package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ShortProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

class RestoreFolderCommandTest {

    @TempDir
    Path dir;

    static void writeImage(Path file, int w, int h, int offset) {
        ShortProcessor sp = new ShortProcessor(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                sp.set(x, y, offset + 30 * x + 7 * y + (x * y) % 50);
            }
        }
        IJ.saveAsTiff(new ImagePlus(file.getFileName().toString(), sp), file.toString());
    }

    Map<String, Object> inputs(Path in, Path out, Path bundle) {
        Map<String, Object> m = new HashMap<>();
        m.put("input", in.toFile());
        m.put("output", out.toFile());
        m.put("model", bundle.toString());
        m.put("tile", 0);
        m.put("overlap", -1);
        m.put("device", "cpu");
        m.put("pixels", "32-bit float");
        m.put("skip", false);
        m.put("overwrite", false);
        return m;
    }

    @Test
    void restoresGoodFilesAndReportsTheCorruptOne() throws Exception {
        Path bundle = TinyBundles.write(dir, "tiny-x2", 2);
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        writeImage(in.resolve("a.tif"), 24, 20, 100);
        writeImage(in.resolve("b.tif"), 30, 16, 500);
        Files.write(in.resolve("c.tif"), new byte[] {'I', 'I', 42, 0, 1, 2, 3, 4, 5, 6, 7});
        try (CommandHarness harness = new CommandHarness()) {
            CommandModule module = harness.run(RestoreFolderCommand.class, inputs(in, out, bundle));
            assertFalse(module.isCanceled(), () -> module.getCancelReason());
            assertTrue(String.valueOf(module.getOutput("report")).startsWith("Restored 2, skipped 0, failed 1"),
                    String.valueOf(module.getOutput("report")));
            ImagePlus a = IJ.openImage(out.resolve("a.tif").toString());
            assertEquals(48, a.getWidth());
            assertEquals(40, a.getHeight());
            assertEquals(60, IJ.openImage(out.resolve("b.tif").toString()).getWidth());
            assertFalse(Files.exists(out.resolve("c.tif")));
            assertTrue(harness.errors.stream().anyMatch(e -> e.contains("c.tif")), harness.errors.toString());
            assertTrue(harness.sawStatus("Image 3 of 3"), harness.status.toString());

            // A second run with "skip" leaves the two finished outputs alone.
            Map<String, Object> again = inputs(in, out, bundle);
            again.put("skip", true);
            CommandModule second = harness.run(RestoreFolderCommand.class, again);
            assertTrue(String.valueOf(second.getOutput("report")).startsWith("Restored 0, skipped 2, failed 1"),
                    String.valueOf(second.getOutput("report")));
        }
    }

    @Test
    void missingInputFolderFails() throws Exception {
        try (CommandHarness harness = new CommandHarness()) {
            CommandModule module = harness.run(RestoreFolderCommand.class,
                    inputs(dir.resolve("nope"), dir.resolve("out"), dir.resolve("no-bundle")));
            assertTrue(module.isCanceled());
            assertTrue(module.getCancelReason().contains("does not exist"), module.getCancelReason());
        }
    }
}
