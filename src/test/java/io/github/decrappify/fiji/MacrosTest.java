package io.github.decrappify.fiji;

import io.github.decrappify.model.Caches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.measure.Calibration;
import ij.process.ShortProcessor;
import io.github.decrappify.evaluate.Evaluation;
import io.github.decrappify.evaluate.EvaluationPlot;
import io.github.decrappify.evaluate.EvaluationReport;
import io.github.decrappify.fiji.ij1.MacroHarness;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.metrics.PairEvaluation;
import io.github.decrappify.metrics.Psnr;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.model.SafeZip;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every macro in {@code macros/} runs here with the real ImageJ 1 macro interpreter, headless, in a JVM of
 * its own where ImageJ built the Plugins › Decrappify menu from the plugin jar's {@code plugins.config}
 * (as Fiji does), on small real images and a real (tiny, untrained) TensorFlow model; the outputs are
 * checked against the same restoration done in this JVM.
 */
class MacrosTest {

    /** The macros this class runs; a new macro without a test here fails {@link #everyMacroIsTestedAndDocumented}. */
    static final Set<String> TESTED = Set.of("Decrappify_Restore_Folder.ijm", "Decrappify_Restore_Large_Stack.ijm",
            "Decrappify_Crappify_And_Train.ijm", "Decrappify_Evaluate.ijm", "Decrappify_Fine_Tune.ijm");

    @TempDir
    static Path shared;

    static Path bundle;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() throws Exception {
        bundle = TinyBundles.write(shared, "tiny-x2", 2);
    }

    @Test
    void everyMacroIsTestedAndDocumented() throws Exception {
        Set<String> macros;
        try (Stream<Path> list = Files.list(MacroHarness.MACROS)) {
            macros = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ijm"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(TESTED), macros, "macros/ and the macros tested here");
        for (String name : macros) {
            List<String> lines = Files.readAllLines(MacroHarness.MACROS.resolve(name));
            long header = lines.stream().takeWhile(l -> l.startsWith("//")).count();
            assertTrue(header >= 8, name + " must start with a comment block saying what it does and how to run it");
            assertTrue(lines.get(0).startsWith("// Decrappify: "), name);
            assertTrue(lines.stream().limit(header).anyMatch(l -> l.contains("--headless -macro " + name)),
                    name + " must show its headless command line");
        }
    }

    /** A 16-bit ramp with a small multiplicative texture, 0.2 micron pixels: the LR fixture of the Fiji tests. */
    static ImagePlus image(int w, int h, int offset) {
        ShortProcessor sp = new ShortProcessor(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                sp.set(x, y, offset + 30 * x + 7 * y + (x * y) % 50);
            }
        }
        ImagePlus imp = new ImagePlus("lr", sp);
        imp.getCalibration().pixelWidth = 0.2;
        imp.getCalibration().pixelHeight = 0.2;
        imp.getCalibration().setUnit("micron");
        return imp;
    }

    /** The same restoration in this JVM, for comparison. */
    static ImagePlus restoreHere(ImagePlus lr) throws Exception {
        return restoreHere(lr, RestoreRequest.defaults());
    }

    static ImagePlus restoreHere(ImagePlus lr, RestoreRequest request) throws Exception {
        return restoreHere(lr, request, false, false).image();
    }

    static ImageRestorer.Result restoreHere(ImagePlus lr, RestoreRequest request, boolean tta, boolean qc) throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        ModelStore store = new ModelStore(shared.resolve("store"), null, Caches.root(), SafeZip.DEFAULT);
        return new ImageRestorer(store).restore(lr, bundle.toString(), request, tta, qc, Device.CPU,
                new RestoreProgress() {});
    }

    static void assertSamePixels(ImagePlus expected, ImagePlus actual, String what) {
        assertEquals(expected.getStackSize(), actual.getStackSize(), what);
        for (int i = 1; i <= expected.getStackSize(); i++) {
            float[] e = (float[]) expected.getStack().getProcessor(i).convertToFloatProcessor().getPixels();
            float[] a = (float[]) actual.getStack().getProcessor(i).convertToFloatProcessor().getPixels();
            assertEquals(e.length, a.length, what);
            for (int k = 0; k < e.length; k++) {
                assertEquals(e[k], a[k], 1e-3f * Math.max(1, Math.abs(e[k])), what + " plane " + i + " pixel " + k);
            }
        }
    }

    @Test
    void restoreFolderRestoresEveryImageAndSkipsThemWhenRunAgain() throws Exception {
        Path in = Files.createDirectories(dir.resolve("lr images"));
        Path out = dir.resolve("restored");
        IJ.saveAsTiff(image(40, 36, 100), in.resolve("a.tif").toString());
        IJ.saveAsTiff(image(24, 20, 900), in.resolve("b.tif").toString());
        assertTrue(new FileSaver(image(32, 32, 50)).saveAsPng(in.resolve("c.png").toString()));
        MacroHarness ij = new MacroHarness(dir);
        String arg = "input=[" + in + "] output=[" + out + "] model=[" + bundle + "]";
        MacroHarness.Result first = ij.run(MacroHarness.MACROS.resolve("Decrappify_Restore_Folder.ijm"), arg);
        assertTrue(first.completed(), first::toString);
        assertTrue(first.lines().contains("Decrappify: Restored 3, skipped 0, failed 0 (into " + out + ")"), first::toString);

        ImagePlus a = IJ.openImage(out.resolve("a.tif").toString());
        assertEquals(80, a.getWidth());
        assertEquals(72, a.getHeight());
        assertEquals(0.1, a.getCalibration().pixelWidth, 1e-9);
        assertTrue(a.getInfoProperty().contains("model tiny-x2"), a.getInfoProperty());
        assertSamePixels(restoreHere(image(40, 36, 100)), a, "a.tif");
        assertEquals(64, IJ.openImage(out.resolve("c.tif").toString()).getWidth(), "PNG input → TIFF output");

        long modified = Files.getLastModifiedTime(out.resolve("a.tif")).toMillis();
        MacroHarness.Result again = ij.run(MacroHarness.MACROS.resolve("Decrappify_Restore_Folder.ijm"), arg);
        assertTrue(again.completed(), again::toString);
        assertTrue(again.lines().contains("Decrappify: Restored 0, skipped 3, failed 0 (into " + out + ")"), again::toString);
        assertEquals(modified, Files.getLastModifiedTime(out.resolve("a.tif")).toMillis(), "complete outputs are kept");
    }

    @Test
    void restoreFolderWithTtaAndQcWritesUncertaintyAndQcMaps() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("restored");
        IJ.saveAsTiff(image(40, 36, 100), in.resolve("a.tif").toString());
        MacroHarness.Result r = new MacroHarness(dir).run(MacroHarness.MACROS.resolve("Decrappify_Restore_Folder.ijm"),
                "input=[" + in + "] output=[" + out + "] model=[" + bundle + "] tta qc");
        assertTrue(r.completed(), r::toString);
        Path qc = out.resolve("qc");
        assertTrue(r.lines().contains("Decrappify: Restored 1, skipped 0, failed 0 (into " + out + "; QC maps in " + qc + ")"),
                r::toString);
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("Decrappify: QC of a.tif: RSE")), r::toString);
        ImageRestorer.Result here = restoreHere(image(40, 36, 100), RestoreRequest.defaults(), true, true);
        assertSamePixels(here.image(), IJ.openImage(out.resolve("a.tif").toString()), "TTA mean");
        assertSamePixels(here.uncertainty(), IJ.openImage(out.resolve("a_uncertainty.tif").toString()), "uncertainty");
        assertSamePixels(here.qcMap(), IJ.openImage(qc.resolve("a_qc.tif").toString()), "QC map");
        assertEquals(2, Files.readAllLines(qc.resolve("a_qc.csv")).size(), "header and one plane");
    }

    @Test
    void restoreFolderStopsWithOneLineForAnUnknownModel() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        IJ.saveAsTiff(image(40, 36, 100), in.resolve("a.tif").toString());
        MacroHarness ij = new MacroHarness(dir);
        MacroHarness.Result r = ij.run(MacroHarness.MACROS.resolve("Decrappify_Restore_Folder.ijm"),
                "input=[" + in + "] output=[" + dir.resolve("out") + "] model=no-such-model");
        assertFalse(r.completed(), r::toString);
        assertEquals(1, r.exit());
        List<String> errors = r.starting("Decrappify: unknown model");
        assertEquals(List.of("Decrappify: unknown model 'no-such-model'; available: none installed (or give a bundle folder or .zip)"),
                errors, r::toString);
        assertFalse(Files.exists(dir.resolve("out").resolve("a.tif")));
    }

    @Test
    void largeStackGoesThroughATemporaryFileWithinASmallHeap() throws Exception {
        // 40 planes of 256x256 16-bit (5 MiB) give a 40 MiB float result at x2: more than half of what a
        // 64 MiB heap has free, so the result is written plane by plane and reopened as a virtual stack.
        int planes = 40;
        ImageStack stack = new ImageStack(256, 256);
        for (int z = 0; z < planes; z++) {
            stack.addSlice(image(256, 256, 100 + 40 * z).getProcessor());
        }
        ImagePlus lr = new ImagePlus("big.tif", stack);
        lr.setDimensions(1, planes, 1);
        Calibration cal = lr.getCalibration();
        cal.pixelWidth = 0.2;
        cal.pixelHeight = 0.2;
        cal.pixelDepth = 1.5;
        cal.setUnit("micron");
        Path input = dir.resolve("big.tif");
        IJ.saveAsTiff(lr, input.toString());
        Path output = dir.resolve("big_x2.tif");
        MacroHarness ij = new MacroHarness(dir);
        MacroHarness.Result r = ij.run(MacroHarness.MACROS.resolve("Decrappify_Restore_Large_Stack.ijm"),
                "input=[" + input + "] output=[" + output + "] model=[" + bundle + "] tile=128", "-Xmx64m");
        assertTrue(r.completed(), r::toString);
        assertTrue(r.lines().stream().anyMatch(l -> l.contains("opened as a virtual stack")), r::toString);
        ImagePlus out = IJ.openVirtual(output.toString());
        assertEquals(512, out.getWidth());
        assertEquals(planes, out.getNSlices());
        assertEquals(0.1, out.getCalibration().pixelWidth, 1e-9);
        assertEquals(1.5, out.getCalibration().pixelDepth, 1e-9);
        assertTrue(out.getInfoProperty().contains("model tiny-x2"), out.getInfoProperty());
        // Normalisation percentiles are the whole stack's, so compare with the whole stack restored here.
        ImagePlus here = restoreHere(lr, new RestoreRequest(128, null, RestoreSettings.OutType.FLOAT, false, false));
        for (int z : new int[] {1, 7, planes}) {
            assertSamePixels(new ImagePlus("e", here.getStack().getProcessor(z)),
                    new ImagePlus("o", out.getStack().getProcessor(z)), "plane " + z);
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".part")), "no partial output left");
        }

        MacroHarness.Result again = ij.run(MacroHarness.MACROS.resolve("Decrappify_Restore_Large_Stack.ijm"),
                "input=[" + input + "] output=[" + output + "] model=[" + bundle + "]");
        assertFalse(again.completed(), "an existing output is not overwritten without 'overwrite'");
    }

    @Test
    void fineTuneOnRealPairsWritesANewBundleAndRestoresAnExample() throws Exception {
        Path base = io.github.decrappify.train.nogan.NoGanFixtures.tinyBase(dir.resolve("models"), "tiny");
        Path hr = io.github.decrappify.train.nogan.NoGanFixtures.emFolder(dir.resolve("hr"), 5, 96);
        Path lr = Files.createDirectories(dir.resolve("lr"));
        try (Stream<Path> files = Files.list(hr)) {
            for (Path f : files.sorted().toList()) {
                ImagePlus h = IJ.openImage(f.toString());
                // A real-pair stand-in: area-downsampled ×2 (the tiny base model's scale).
                ImagePlus l = new ImagePlus("lr", h.getProcessor().resize(48, 48, true));
                IJ.saveAsTiff(l, lr.resolve(f.getFileName()).toString());
            }
        }
        String baseSha = io.github.decrappify.model.Checksums.sha256(base.resolve("weights.zip"));
        Path model = dir.resolve("models").resolve("tiny-ft");
        MacroHarness ij = new MacroHarness(dir);
        MacroHarness.Result r = ij.run(MacroHarness.MACROS.resolve("Decrappify_Fine_Tune.ijm"),
                "model=[" + base + "] hr=[" + hr + "] lr=[" + lr + "] bundle=[" + model + "] quick features=none patch=16 batch=4");
        assertTrue(r.completed(), r::toString);
        String rdf = Files.readString(model.resolve("rdf.yaml"));
        assertTrue(rdf.contains("Fine-tune (NoGAN)"), "provenance names the command");
        assertTrue(rdf.contains("tiny"), "provenance names the base model");
        assertEquals(baseSha, io.github.decrappify.model.Checksums.sha256(base.resolve("weights.zip")), "base model untouched");
        ImagePlus example = IJ.openImage(dir.resolve("models").resolve("tiny-ft_example.tif").toString());
        assertEquals(96, example.getWidth(), "the first LR image restored at the model's scale");
        assertTrue(example.getInfoProperty().contains("model tiny-ft"), example.getInfoProperty());
    }

    @Test
    void crappifyAndTrainWritesPreviewsABundleAndARestoration() throws Exception {
        Path hr = Files.createDirectories(dir.resolve("hr"));
        Path val = Files.createDirectories(dir.resolve("val"));
        for (int i = 0; i < 3; i++) {
            io.github.decrappify.testutil.Blobs.write(hr.resolve("img" + i + ".tif"), 128, 1 + i);
        }
        io.github.decrappify.testutil.Blobs.write(val.resolve("v.tif"), 128, 100);
        Path model = dir.resolve("models").resolve("blobs-x2");
        MacroHarness ij = new MacroHarness(dir);
        MacroHarness.Result r = ij.run(MacroHarness.MACROS.resolve("Decrappify_Crappify_And_Train.ijm"),
                "hr=[" + hr + "] validation=[" + val + "] bundle=[" + model + "] scale=2 preset=fluo steps=4 patch=16 batch=2 seed=5");
        assertTrue(r.completed(), r::toString);
        Path preview = dir.resolve("models").resolve("blobs-x2_crappified");
        for (int i = 0; i < 3; i++) {
            ImagePlus lr = IJ.openImage(preview.resolve("img" + i + ".tif").toString());
            assertEquals(64, lr.getWidth(), "crappified at scale 2");
        }
        assertTrue(Files.isRegularFile(model.resolve("rdf.yaml")));
        assertTrue(Files.isRegularFile(model.resolve("weights.zip")));
        ImagePlus restored = IJ.openImage(preview.resolve("restored_img0.tif").toString());
        assertEquals(128, restored.getWidth());
        assertTrue(restored.getInfoProperty().contains("model blobs-x2"), restored.getInfoProperty());
    }

    /** HR blobs, their 2x-averaged LR, and the tiny model's restorations of those: three folders matched by name. */
    private Path[] evaluationData() throws Exception {
        Path truth = Files.createDirectories(dir.resolve("hr"));
        Path lr = Files.createDirectories(dir.resolve("lr images"));
        Path pred = Files.createDirectories(dir.resolve("x2"));
        for (String name : List.of("a", "b")) {
            Path t = truth.resolve(name + ".tif");
            io.github.decrappify.testutil.Blobs.write(t, 64, name.charAt(0));
            ImagePlus small = new ImagePlus(name, IJ.openImage(t.toString()).getProcessor().resize(32, 32, true));
            IJ.saveAsTiff(small, lr.resolve(name + ".tif").toString());
            IJ.saveAsTiff(restoreHere(small), pred.resolve(name + ".tif").toString());
        }
        return new Path[] {pred, truth, lr};
    }

    private static FloatPlane plane(Path file) {
        ImagePlus imp = IJ.openImage(file.toString());
        return new FloatPlane(imp.getWidth(), imp.getHeight(),
                (float[]) imp.getProcessor().convertToFloatProcessor().getPixels());
    }

    @Test
    void evaluateWritesTheEnginesScoresAsCsvAndThePlotAsPng() throws Exception {
        Path[] data = evaluationData();
        Path pred = data[0];
        Path truth = data[1];
        Path lr = data[2];
        MacroHarness ij = new MacroHarness(dir);
        MacroHarness.Result r = ij.run(MacroHarness.MACROS.resolve("Decrappify_Evaluate.ijm"),
                "prediction=[" + pred + "/] truth=[" + truth + "] lr=[" + lr + "] scale=2");
        assertTrue(r.completed(), r::toString);
        Path csv = dir.resolve("x2_evaluation.csv");
        Path png = dir.resolve("x2_evaluation.png");
        assertTrue(r.lines().contains("Decrappify_Evaluate: wrote " + csv + " and " + png), r::toString);

        // The same evaluation in this JVM: the CSV is the engine's, to the digit.
        EvaluationReport here = Evaluation.run(Evaluation.match(pred, truth, lr), new PairEvaluation.Options(2, false, false, 0),
                line -> { });
        List<String> rows = Files.readAllLines(csv);
        assertEquals(here.csv(), Files.readString(csv));
        assertEquals(EvaluationReport.CSV_HEADER, rows.get(0));
        assertEquals(4, rows.size(), "header, a.tif, b.tif, mean");
        List<String> header = List.of(rows.get(0).split(","));
        for (int i = 0; i < 2; i++) {
            String name = i == 0 ? "a.tif" : "b.tif";
            String[] row = rows.get(1 + i).split(",", -1);
            assertEquals(name, row[0]);
            // ... and its PSNR is the metric's, computed here from the two files.
            double psnr = Psnr.normalised(plane(truth.resolve(name)), plane(pred.resolve(name)));
            assertEquals(psnr, Double.parseDouble(row[header.indexOf("psnr")]), 1e-5 * Math.abs(psnr), name);
            assertTrue(psnr > 10 && psnr < 60, name + " PSNR " + psnr);
            double bicubic = Double.parseDouble(row[header.indexOf("bicubic_psnr")]);
            assertEquals(here.entries().get(i).row().bicubic().psnr(), bicubic, 1e-5 * bicubic, name);
            assertTrue(Double.parseDouble(row[header.indexOf("smoothed_psnr")]) >= bicubic - 1e-4,
                    "the best smoothing includes none");
        }
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith(String.format(Locale.ROOT,
                "Decrappify: 2 image(s): PSNR %.3f dB", here.meanModel().psnr()))), r::toString);

        ImagePlus plot = IJ.openImage(png.toString());
        ImagePlus expected = EvaluationPlot.summary(here);
        assertEquals(ImagePlus.COLOR_RGB, plot.getType());
        assertEquals(expected.getWidth(), plot.getWidth());
        assertEquals(expected.getHeight(), plot.getHeight());
        Set<Integer> colours = new java.util.HashSet<>();
        for (int p : (int[]) plot.getProcessor().getPixels()) {
            colours.add(p & 0xffffff);
        }
        assertTrue(colours.contains(0x005ac8), "the model's curve is drawn");
        assertTrue(colours.contains(0xc82828), "the bicubic baseline's curve is drawn");
    }

    @Test
    void evaluateStopsWithOneLineAndWritesNothingForUnmatchedNames() throws Exception {
        Path[] data = evaluationData();
        Files.delete(data[0].resolve("b.tif"));
        MacroHarness ij = new MacroHarness(dir);
        Path csv = dir.resolve("scores.csv");
        MacroHarness.Result r = ij.run(MacroHarness.MACROS.resolve("Decrappify_Evaluate.ijm"),
                "prediction=[" + data[0] + "] truth=[" + data[1] + "] csv=[" + csv + "]");
        assertFalse(r.completed(), r::toString);
        assertEquals(List.of("Decrappify: no prediction in " + data[0] + " for 1 truth image(s): b.tif (pairs are matched by name)"),
                r.starting("Decrappify: no prediction"), r::toString);
        assertFalse(Files.exists(csv));
        assertFalse(Files.exists(dir.resolve("scores.png")));
    }
}
