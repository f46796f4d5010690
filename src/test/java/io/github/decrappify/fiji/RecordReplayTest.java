package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.fiji.ij1.MacroHarness;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.runtime.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.Command;

/**
 * Record → replay for every menu command: the options the Recorder records for a dialog's values (as
 * {@code CommandPlugIn} records them) are replayed by a macro with the real ImageJ macro interpreter,
 * headless, where nothing may prompt; each command must do what the dialog asked, on real images and
 * a real (tiny) TensorFlow model.
 */
class RecordReplayTest {

    @TempDir
    Path dir;

    private final List<String> macro = new ArrayList<>();

    private static Map<String, Object> values(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** Appends the recorded {@code run(...)} line of {@code command} confirmed with {@code dialog}. */
    private void replay(String label, Class<? extends Command> command, Map<String, Object> dialog) throws Exception {
        String options = MacroHarness.recordedOptions(command, dialog);
        macro.add("run(\"" + label + "\", \"" + options.replace("\\", "\\\\").replace("\"", "\\\"") + "\");");
    }

    private static String quoted(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\") + "\"";
    }

    /** Prints title, size and type of every open image. */
    private void listImages() {
        macro.add("for (i = 1; i <= nImages; i++) { selectImage(i); print(\"IMAGE \" + getTitle() + \" \" + getWidth() + \"x\""
                + " + getHeight() + \"x\" + nSlices + \" \" + bitDepth()); }");
    }

    @Test
    void everyCommandReplaysWhatItsDialogRecorded() throws Exception {
        Path bundle = TinyBundles.write(dir, "tiny-x2", 2);
        Path lr = Files.createDirectories(dir.resolve("lr images"));
        Path truth = Files.createDirectories(dir.resolve("truth"));
        Path hr = Files.createDirectories(dir.resolve("hr"));
        Path validation = Files.createDirectories(dir.resolve("validation"));
        IJ.saveAsTiff(MacrosTest.image(40, 36, 100), lr.resolve("a.tif").toString());
        IJ.saveAsTiff(MacrosTest.image(80, 72, 100), truth.resolve("a.tif").toString());
        Path other = dir.resolve("b.tif");
        IJ.saveAsTiff(MacrosTest.image(24, 20, 900), other.toString());
        for (int i = 0; i < 2; i++) {
            io.github.decrappify.testutil.Blobs.write(hr.resolve("h" + i + ".tif"), 64, 10 + i);
        }
        io.github.decrappify.testutil.Blobs.write(validation.resolve("v.tif"), 128, 20);
        Path restored = dir.resolve("restored a.tif");
        Path folderOut = dir.resolve("folder out");
        Path qc = dir.resolve("qc maps");
        Path trained = dir.resolve("trained [model]").resolve("blobs-x2");
        Path csv = dir.resolve("scores [1].csv");
        Path png = dir.resolve("scores.png");

        macro.add("setBatchMode(true);");
        macro.add("open(" + quoted(lr.resolve("a.tif")) + ");");
        macro.add("open(" + quoted(other) + ");");
        // Restore... was run on a.tif while b.tif was the active image: the recording names a.tif.
        ImagePlus chosen = new ImagePlus("a.tif", MacrosTest.image(40, 36, 100).getProcessor());
        replay("Decrappify Restore...", RestoreCommand.class, values("image", chosen, "model", bundle.toString(), "tile", 32,
                "overlap", 4, "device", "cpu", "precision", "fp32", "tta", true, "qc", true));
        listImages();
        macro.add("selectImage(\"a.tif restored by tiny-x2\"); saveAs(\"Tiff\", " + quoted(restored) + ");");
        macro.add("close(\"*\");");
        macro.add("open(" + quoted(other) + ");");
        replay("Decrappify Crappify...", CrappifyCommand.class, values("preset", "fluo", "scale", 2, "seed", 3L, "random", true));
        listImages();
        macro.add("close(\"*\");");
        replay("Decrappify Restore folder...", RestoreFolderCommand.class, values("input", lr.toFile(), "output", folderOut.toFile(),
                "model", bundle.toString(), "device", "cpu", "pixels", "same as input", "tta", true, "qc", true,
                "qcfolder", qc.toFile()));
        replay("Decrappify Train...", TrainCommand.class, values("hr", hr.toFile(), "validation", validation.toFile(), "scale", 2, "preset", "fluo", "steps", 2,
                "patch", 16, "batch", 2, "validate", 0, "seed", 5L, "device", "cpu", "bundle", trained.toFile()));
        replay("Decrappify Evaluate...", EvaluateCommand.class, values("prediction", dir.resolve("folder out").toFile(),
                "truth", truth.toFile(), "lr", lr.toFile(), "scale", 2, "register", true, "margin", 2, "csv", csv.toFile(),
                "plot", png.toFile()));
        listImages();
        macro.add("close(\"*\");");
        macro.add("run(\"Decrappify Models...\");"); // no options, headless: the defaults (list), never a dialog
        replay("Decrappify Models...", ModelsCommand.class, values("action", "validate", "model", bundle.toString(), "device", "cpu"));
        Path file = dir.resolve("replay.ijm");
        Files.write(file, macro);

        MacroHarness.Result r = new MacroHarness(dir).run(file, "");
        String log = "macro:\n" + String.join("\n", macro) + "\n" + r;
        assertTrue(r.completed(), log);
        // Restore...: a.tif (not the active b.tif), with the TTA uncertainty and the QC map beside it;
        // Crappify...: the active image at scale 2; Evaluate...: its summary plot.
        List<String> images = r.starting("IMAGE ");
        assertEquals(List.of("IMAGE a.tif 40x36x1 16", "IMAGE b.tif 24x20x1 16", "IMAGE a.tif restored by tiny-x2 80x72x1 32",
                "IMAGE a.tif TTA uncertainty (tiny-x2) 80x72x1 32", "IMAGE a.tif QC map (tiny-x2) 40x36x1 32",
                "IMAGE b.tif 24x20x1 16", "IMAGE b.tif crappified 12x10x1 32"), images.subList(0, Math.min(7, images.size())), log);
        assertEquals(8, images.size(), log);
        assertTrue(images.get(7).startsWith("IMAGE Decrappify evaluation "), log);
        ImageRestorer.Result here = new ImageRestorer(ModelStore.standard(null)).restore(
                IJ.openImage(lr.resolve("a.tif").toString()), bundle.toString(),
                new RestoreRequest(32, 4, RestoreSettings.OutType.FLOAT, false, false), true, true, Device.CPU,
                new RestoreProgress() {});
        MacrosTest.assertSamePixels(here.image(), IJ.openImage(restored.toString()), "replayed Restore...");

        // Restore folder...: same-bit-depth output, uncertainty beside it, QC map in the folder given.
        assertEquals(16, IJ.openImage(folderOut.resolve("a.tif").toString()).getBitDepth());
        assertTrue(Files.isRegularFile(folderOut.resolve("a_uncertainty.tif")), log);
        assertTrue(Files.isRegularFile(qc.resolve("a_qc.csv")), log);
        // Train...: a bundle of scale 2.
        assertTrue(Files.readString(trained.resolve("rdf.yaml")).contains("scale: 2"), log);
        // Evaluate...: registered (shift columns filled), margin, baselines, CSV and PNG where asked.
        List<String> rows = Files.readAllLines(csv);
        assertEquals(3, rows.size(), log);
        String[] row = rows.get(1).split(",", -1);
        assertEquals("a.tif", row[0]);
        assertTrue(!row[row.length - 1].isEmpty() && !row[10].isEmpty(), "shift and bicubic columns: " + rows.get(1));
        assertTrue(IJ.openImage(png.toString()).getWidth() > 500);
        // Models...: the list without options, then the validation recorded.
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("Decrappify: tiny-x2: valid")), log);
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("Decrappify: no models installed (user store: ")), log);
    }

}
