package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.runtime.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

class RestoreFolderCommandTest {

    @TempDir
    Path dir;

    /** {@link MacrosTest#image} saved as a TIFF. */
    static void writeImage(Path file, int w, int h, int offset) {
        IJ.saveAsTiff(MacrosTest.image(w, h, offset), file.toString());
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
            assertTrue(harness.log.contains("Decrappify: Precision: fp32 (the bundle records no bf16 check)")
                    || harness.log.contains("Decrappify: Precision: fp32 (no native bf16 on this CPU)"),
                    "no precision given is auto: " + harness.log);

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

    private static ImageRestorer.Result restoreHere(Path image, Path bundle, boolean tta, boolean qc) throws Exception {
        return new ImageRestorer(ModelStore.standard(null)).restore(IJ.openImage(image.toString()), bundle.toString(),
                RestoreRequest.defaults(), tta, qc, Device.CPU, new RestoreProgress() {});
    }

    @Test
    void ttaAndQcWriteUncertaintyAndQcMapsAsRestoreDoes() throws Exception {
        Path bundle = TinyBundles.write(dir, "tiny-x2", 2);
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        writeImage(in.resolve("a.tif"), 24, 20, 100);
        writeImage(in.resolve("b.tif"), 30, 16, 500);
        try (CommandHarness harness = new CommandHarness()) {
            Map<String, Object> checks = inputs(in, out, bundle);
            checks.put("tta", true);
            checks.put("qc", true);
            CommandModule module = harness.run(RestoreFolderCommand.class, checks);
            assertFalse(module.isCanceled(), () -> module.getCancelReason());
            Path qc = out.resolve("qc");
            assertEquals("Restored 2, skipped 0, failed 0 (into " + out + "; QC maps in " + qc + ")", module.getOutput("report"));
            for (String name : List.of("a", "b")) {
                ImageRestorer.Result here = restoreHere(in.resolve(name + ".tif"), bundle, true, true);
                MacrosTest.assertSamePixels(here.image(), IJ.openImage(out.resolve(name + ".tif").toString()), name);
                MacrosTest.assertSamePixels(here.uncertainty(),
                        IJ.openImage(out.resolve(name + "_uncertainty.tif").toString()), name + " uncertainty");
                ImagePlus map = IJ.openImage(qc.resolve(name + "_qc.tif").toString());
                assertEquals(IJ.openImage(in.resolve(name + ".tif").toString()).getWidth(), map.getWidth(), "input-sized");
                MacrosTest.assertSamePixels(here.qcMap(), map, name + " QC map");
                List<String> csv = Files.readAllLines(qc.resolve(name + "_qc.csv"));
                assertEquals("c,z,t,rse,rsp,gain,offset", csv.get(0));
                double rse = Double.parseDouble(csv.get(1).split(",")[3]);
                assertEquals(here.qc().rows().get(0).rse(), rse, 1e-4 * rse, name + " RSE");
                assertTrue(rse > 0, "an untrained model is not consistent with its input");
                assertTrue(harness.log.stream().anyMatch(l -> l.startsWith("Decrappify: QC of " + name + ".tif: RSE")),
                        harness.log.toString());
            }
            // TTA was used: the mean of 8 orientations is not the plain restoration of an untrained network.
            ImagePlus plain = restoreHere(in.resolve("a.tif"), bundle, false, false).image();
            float[] p = (float[]) plain.getProcessor().getPixels();
            float[] t = (float[]) IJ.openImage(out.resolve("a.tif").toString()).getProcessor().getPixels();
            double diff = 0;
            for (int i = 0; i < p.length; i++) {
                diff = Math.max(diff, Math.abs(p[i] - t[i]));
            }
            assertTrue(diff > 1e-2, "TTA changes the result: " + diff);

            // Skipping needs the checks complete too: they are, so nothing is redone.
            checks.put("skip", true);
            CommandModule again = harness.run(RestoreFolderCommand.class, checks);
            assertEquals("Restored 0, skipped 2, failed 0 (into " + out + "; QC maps in " + qc + ")", again.getOutput("report"));
        }
    }

    @Test
    void qcMapsGoToTheQcFolderGiven() throws Exception {
        Path bundle = TinyBundles.write(dir, "tiny-x2", 2);
        Path in = Files.createDirectories(dir.resolve("in"));
        writeImage(in.resolve("a.tif"), 24, 20, 100);
        Path maps = dir.resolve("qc maps");
        try (CommandHarness harness = new CommandHarness()) {
            Map<String, Object> m = inputs(in, dir.resolve("out"), bundle);
            m.put("qc", true);
            m.put("qcfolder", maps.toFile());
            CommandModule module = harness.run(RestoreFolderCommand.class, m);
            assertFalse(module.isCanceled(), () -> module.getCancelReason());
            assertTrue(Files.isRegularFile(maps.resolve("a_qc.tif")));
            assertTrue(Files.isRegularFile(maps.resolve("a_qc.csv")));
            assertFalse(Files.exists(dir.resolve("out").resolve("a_uncertainty.tif")), "no TTA asked");
            assertFalse(Files.exists(dir.resolve("out").resolve("qc")));

            // A QC folder that is a file: one line, nothing restored.
            Files.writeString(dir.resolve("afile"), "x");
            m.put("qcfolder", dir.resolve("afile").toFile());
            m.put("output", dir.resolve("out2").toFile());
            CommandModule bad = harness.run(RestoreFolderCommand.class, m);
            assertTrue(bad.isCanceled());
            assertTrue(bad.getCancelReason().contains(dir.resolve("afile") + " is a file"), bad.getCancelReason());
            assertFalse(Files.exists(dir.resolve("out2").resolve("a.tif")));
        }
    }
}
