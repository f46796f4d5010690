package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ShortProcessor;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.testutil.Blobs;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.train.TrainConfig;
import io.github.decrappify.train.TrainJob;
import io.github.decrappify.train.TrainRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.app.StatusService;
import org.scijava.command.CommandModule;
import org.scijava.log.LogService;

class TrainCommandTest {

    @TempDir
    Path dir;

    Path folder(String name, int files, long seed) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < files; i++) {
            Blobs.write(d.resolve("img" + i + ".tif"), 128, seed + i);
        }
        return d;
    }

    @Test
    void trainsATinyRunWhoseBundleRestores() throws Exception {
        Path hr = folder("hr", 3, 1);
        Path val = folder("val", 1, 100);
        Path bundle = dir.resolve("models/blobs-x2");
        Map<String, Object> in = new HashMap<>();
        in.put("hr", hr.toFile());
        in.put("validation", val.toFile());
        in.put("scale", 2);
        in.put("preset", "fluo");
        in.put("steps", 4);
        in.put("patch", 16);
        in.put("batch", 2);
        in.put("rate", 1e-4f);
        in.put("validate", 2);
        in.put("seed", 5L);
        in.put("device", "cpu");
        in.put("bundle", bundle.toFile());
        in.put("resume", false);
        try (CommandHarness harness = new CommandHarness()) {
            CommandModule module = harness.run(TrainCommand.class, in);
            assertFalse(module.isCanceled(), () -> module.getCancelReason());
            assertTrue(Files.isRegularFile(bundle.resolve("rdf.yaml")));
            assertTrue(Files.isRegularFile(bundle.resolve("weights.zip")));
            assertTrue(Files.readString(bundle.resolve("rdf.yaml")).contains("frc_px:"), "validation FRC in rdf.yaml");
            assertTrue(Files.readString(bundle.resolve("README.md")).contains("FRC resolution"), "and in the model card");
            assertTrue(harness.log.stream().anyMatch(l -> l.contains("validation at step 2")), harness.log.toString());
            assertTrue(harness.sawStatus("training step 4/4"), harness.status.toString());

            ImagePlus lr = new ImagePlus("lr", new ShortProcessor(40, 32));
            lr.getProcessor().noise(100);
            lr.getProcessor().add(1000);
            Map<String, Object> restore = RestoreCommandTest.inputs(lr, bundle.toString());
            CommandModule restored = harness.run(RestoreCommand.class, restore);
            assertFalse(restored.isCanceled(), () -> restored.getCancelReason());
            ImagePlus out = (ImagePlus) restored.getOutput("restored");
            assertEquals(80, out.getWidth());
            assertEquals("lr restored by blobs-x2", out.getTitle());
        }
    }

    @Test
    void stopRequestWritesCheckpointAndStops() throws Exception {
        Path hr = folder("hr", 2, 1);
        Path val = folder("val", 1, 100);
        TrainConfig cfg = new TrainConfig(new UNetConfig(2, 1, new int[] {8, 16}, false, 8, 8), 16, 2, 50, 1e-4f, 5,
                0.1f, 0, 25, 5, 0);
        TrainJob.Options opt = TrainRuns.options(List.of(hr), null, List.of(val), null, 0.1, 64, "em", cfg,
                dir.resolve("stopped"), null, false, false, Device.CPU);
        try (CommandHarness harness = new CommandHarness()) {
            TrainingMonitor monitor = new TrainingMonitor(harness.context.service(StatusService.class),
                    harness.context.service(LogService.class), () -> true, false);
            TrainJob.Outcome outcome = new TrainJob(opt).run(List.of(monitor));
            assertFalse(outcome.training().completed());
            assertEquals(1, outcome.training().step());
            assertTrue(harness.log.stream().anyMatch(l -> l.contains("checkpoint at step 1")), harness.log.toString());
            assertEquals(1, monitor.curves().lossPoints());
        }
    }

    @Test
    void plotsRenderHeadless() {
        TrainingPlot curves = new TrainingPlot();
        for (int s = 1; s <= 300; s++) {
            curves.addLoss(s, 1.0 / s);
        }
        curves.addPsnr(100, 20);
        curves.addPsnr(200, 22.5);
        ImagePlus loss = curves.lossPlot().getImagePlus();
        ImagePlus psnr = curves.psnrPlot().getImagePlus();
        assertTrue(loss.getWidth() > 100 && psnr.getHeight() > 100);
        assertEquals(300, curves.lossPoints());
        assertEquals(2, curves.psnrPoints());
    }

    @Test
    void missingHrFolderFails() throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put("hr", dir.resolve("nothing-here").toFile());
        in.put("bundle", dir.resolve("m").toFile());
        in.put("scale", 2);
        in.put("patch", 16);
        in.put("device", "cpu");
        try (CommandHarness harness = new CommandHarness()) {
            CommandModule module = harness.run(TrainCommand.class, in);
            assertTrue(module.isCanceled());
            assertFalse(module.getCancelReason().contains("\n"));
            assertTrue(module.getCancelReason().contains("nothing-here"), module.getCancelReason());
        }
    }

    @Test
    void aBundleNameThatCannotBeAModelNameFailsBeforeTraining() throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put("hr", folder("hr", 1, 1).toFile());
        in.put("bundle", dir.resolve("my model").toFile());
        in.put("device", "cpu");
        try (CommandHarness harness = new CommandHarness()) {
            CommandModule module = harness.run(TrainCommand.class, in);
            assertTrue(module.isCanceled());
            assertEquals("The output bundle folder's name becomes the model's name: name must be 1–64 letters, digits,"
                    + " '.', '_' or '-' starting with a letter or digit (got 'my model')", module.getCancelReason());
            assertFalse(Files.exists(dir.resolve("my model.work")), "nothing trained, no checkpoint folder");
        }
    }
}
