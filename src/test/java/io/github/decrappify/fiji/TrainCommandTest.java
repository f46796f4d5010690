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
            assertTrue(harness.log.stream().anyMatch(l -> l.matches(".*validation at step 2: PSNR .*\\(1 images; best blur -?[\\d.]+ dB: [+-][\\d.]+ dB\\)")),
                    harness.log.toString());
            assertTrue(harness.log.stream().anyMatch(l -> l.contains("best validation at step ")), harness.log.toString());
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
        curves.setBaseline(21.25);
        ImagePlus loss = curves.lossPlot().getImagePlus();
        ImagePlus psnr = curves.psnrPlot().getImagePlus();
        assertTrue(loss.getWidth() > 100 && psnr.getHeight() > 100);
        assertEquals(300, curves.lossPoints());
        assertEquals(2, curves.psnrPoints());
        assertEquals(21.25, curves.baseline(), 0);
        // The best-blur level is a second curve of the PSNR plot.
        assertEquals(2, curves.psnrPlot().getDataObjectDesignations().length);
        // the loss axis says what is minimised: self-supervised runs minimise the masked L1 only
        assertEquals("loss (L1 + SSIM weight · (1 − SSIM))", curves.lossPlot().getLabel('y'));
        curves.setLossLabel("masked L1 (blind-spot pixels only)");
        assertEquals("masked L1 (blind-spot pixels only)", curves.lossPlot().getLabel('y'));
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

    /** Noisy blob images: the self-supervised form's data. */
    Path noisyFolder(String name, int files) throws Exception {
        Path d = folder(name, files, 30);
        for (int i = 0; i < files; i++) {
            ImagePlus imp = IJ.openImage(d.resolve("img" + i + ".tif").toString());
            imp.getProcessor().noise(300);
            IJ.saveAsTiff(imp, d.resolve("img" + i + ".tif").toString());
        }
        return d;
    }

    @Test
    void selfSupervisedTrainsFromNoisyImagesAloneWithTheLivePlotAndResumes() throws Exception {
        Path noisy = noisyFolder("noisy", 2);
        Path bundle = dir.resolve("models/n2v-x1");
        // Stopped at once through the monitor (as Esc does): a checkpoint, then "resume" finishes the run.
        TrainConfig cfg = new TrainConfig(UNetConfig.unetS(1, 1), 32, 2, 3, 1e-4f, 0, 0, 0, 3, 5, 0); // as the dialog makes it
        TrainJob.Options opt = TrainRuns.selfSupervised(List.of(noisy), null, TrainRuns.MASK_FRACTION, 64, cfg, bundle,
                null, false, false, Device.CPU);
        try (CommandHarness harness = new CommandHarness()) {
            TrainingMonitor monitor = new TrainingMonitor(harness.context.service(StatusService.class),
                    harness.context.service(LogService.class), () -> true, false);
            TrainJob.Outcome stopped = new TrainJob(opt).run(List.of(monitor));
            assertFalse(stopped.training().completed());
            assertEquals(1, stopped.training().step());
            assertEquals(1, monitor.curves().lossPoints(), "the live loss plot gets the masked loss");

            Map<String, Object> in = new HashMap<>();
            in.put("selfsupervised", true);
            in.put("images", noisy.toFile());
            in.put("scale", 1);
            in.put("steps", 3);
            in.put("patch", 32);
            in.put("batch", 2);
            in.put("rate", 1e-4f);
            in.put("validate", 0);
            in.put("seed", 5L);
            in.put("device", "cpu");
            in.put("bundle", bundle.toFile());
            in.put("resume", true);
            in.put("hr", dir.resolve("remembered-hr").toFile()); // a folder the dialog remembers: ignored
            CommandModule module = harness.run(TrainCommand.class, in);
            assertFalse(module.isCanceled(), () -> module.getCancelReason());
            assertTrue(harness.log.stream().anyMatch(l -> l.contains("Resuming from step 1")), harness.log.toString());
            assertTrue(harness.sawStatus("training step 3/3"), harness.status.toString());
            String rdf = Files.readString(bundle.resolve("rdf.yaml"));
            assertTrue(rdf.contains("self-supervised blind-spot training (Noise2Void)"), rdf);
            assertTrue(rdf.contains("selfsupervised images=" + noisy), "the Fiji command line is recorded");
        }
    }

    @Test
    void selfSupervisedFormRulesAreOneLine() throws Exception {
        Path noisy = noisyFolder("noisy", 1);
        String[][] cases = {
            {"images", "", "Self-supervised training needs noisy images: give a folder or an image"},
            {"scale", "4", "Self-supervised training makes denoisers: set Scale to 1 (it is 4)"},
        };
        try (CommandHarness harness = new CommandHarness()) {
            for (String[] c : cases) {
                Map<String, Object> in = new HashMap<>();
                in.put("selfsupervised", true);
                in.put("images", noisy.toFile());
                in.put("scale", 1);
                in.put("bundle", dir.resolve("n2v").toFile());
                in.put("device", "cpu");
                if (c[0].equals("images")) {
                    in.remove("images");
                } else {
                    in.put("scale", 4);
                }
                CommandModule module = harness.run(TrainCommand.class, in);
                assertTrue(module.isCanceled(), c[2]);
                assertEquals(c[2], module.getCancelReason());
            }
            Map<String, Object> in = new HashMap<>();
            in.put("images", noisy.toFile());
            in.put("bundle", dir.resolve("n2v").toFile());
            CommandModule module = harness.run(TrainCommand.class, in);
            assertEquals("Noisy images are for self-supervised training: tick Self-supervised, or clear Noisy images",
                    module.getCancelReason());
        }
    }
}
