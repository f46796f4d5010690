package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import ij.process.FloatProcessor;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Percentiles;
import io.github.decrappify.metrics.Psnr;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;

/** Plugins › Decrappify › Decrappify Evaluate…: results table, CSV, plot, and one-line failures. */
class EvaluateCommandTest {

    @TempDir
    static Path dir;
    static CommandHarness harness;

    @BeforeAll
    static void setUp() throws Exception {
        harness = new CommandHarness();
        Random r = new Random(1);
        for (String name : List.of("a", "b", "c")) {
            FloatProcessor truth = new FloatProcessor(128, 128);
            FloatProcessor pred = new FloatProcessor(128, 128);
            for (int i = 0; i < 128 * 128; i++) {
                float v = (float) (100 + 50 * Math.sin(i % 128 / 3.0) * Math.cos(i / 128 / 5.0));
                truth.setf(i, v);
                pred.setf(i, (float) (v + 2 * r.nextGaussian()));
            }
            save(truth, "truth/" + name + ".tif");
            save(pred, "pred/" + name + ".tif");
            save((FloatProcessor) truth.resize(32, 32, true), "lr/" + name + ".tif");
        }
    }

    private static void save(FloatProcessor fp, String name) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        assertTrue(IJ.saveAsTiff(new ImagePlus(name, fp), f.toString()));
    }

    @AfterAll
    static void tearDown() {
        harness.close();
    }

    private static Map<String, Object> inputs() {
        Map<String, Object> in = new HashMap<>();
        in.put("prediction", dir.resolve("pred").toFile());
        in.put("truth", dir.resolve("truth").toFile());
        in.put("lr", dir.resolve("lr").toFile());
        in.put("scale", 4);
        in.put("register", false);
        in.put("fit", false);
        in.put("margin", 0);
        return in;
    }

    private static FloatPlane read(Path p) {
        ImagePlus imp = IJ.openImage(p.toString());
        return new FloatPlane(imp.getWidth(), imp.getHeight(), (float[]) imp.getProcessor().getPixels());
    }

    @Test
    void foldersGiveATableAPlotAndFiles() throws Exception {
        Map<String, Object> in = inputs();
        File csv = dir.resolve("out/scores.csv").toFile();
        File png = dir.resolve("out/plot.png").toFile();
        in.put("csv", csv);
        in.put("plot", png);
        CommandModule module = harness.run(EvaluateCommand.class, in);
        assertTrue(!module.isCanceled(), () -> "canceled: " + module.getCancelReason());
        ResultsTable t = (ResultsTable) module.getOutput("results");
        assertEquals(3, t.size());
        assertEquals("b.tif", t.getLabel(1));
        FloatPlane truth = read(dir.resolve("truth/b.tif"));
        FloatPlane pred = read(dir.resolve("pred/b.tif"));
        assertEquals(Psnr.normalised(truth, pred), t.getValue("PSNR", 1), 1e-9, "the table holds the metric's value");
        double[] r = Percentiles.range(truth.data(), Percentiles.LOW, Percentiles.HIGH);
        assertEquals(20 * Math.log10((r[1] - r[0]) / 2), t.getValue("PSNR", 1), 0.15, "noise of sd 2 in a range of "
                + (r[1] - r[0]));
        assertTrue(t.getValue("bicubic PSNR", 1) < t.getValue("PSNR", 1));
        assertTrue(t.columnExists("FRC half-bit (px)"));
        ImagePlus plot = (ImagePlus) module.getOutput("summary");
        assertTrue(plot.getWidth() > 500 && plot.getHeight() > 400);
        assertEquals(5, Files.readAllLines(csv.toPath()).size(), "header, 3 images, mean");
        assertEquals(plot.getWidth(), IJ.openImage(png.getPath()).getWidth());
        assertTrue(harness.log.stream().anyMatch(l -> l.startsWith("Decrappify: 3 image(s): PSNR")), harness.log.toString());
    }

    @Test
    void unmatchedFoldersFailWithOneLine() throws Exception {
        Map<String, Object> in = inputs();
        in.put("truth", dir.resolve("lr").toFile());
        in.put("lr", null);
        in.put("prediction", dir.toFile()); // holds no a.tif
        CommandModule module = harness.run(EvaluateCommand.class, in);
        assertTrue(module.isCanceled());
        assertTrue(module.getCancelReason().contains("no prediction in"), module.getCancelReason());
        assertTrue(module.getCancelReason().contains("3 truth image(s): a.tif, b.tif, c.tif"), module.getCancelReason());
    }
}
