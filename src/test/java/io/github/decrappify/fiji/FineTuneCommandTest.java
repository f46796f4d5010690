package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.model.SafeZip;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.train.Checkpoint;
import io.github.decrappify.train.nogan.Drift;
import io.github.decrappify.train.nogan.FeatureNet;
import io.github.decrappify.train.nogan.FineTuneJob;
import io.github.decrappify.train.nogan.NoGanConfig;
import io.github.decrappify.train.nogan.NoGanFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.app.StatusService;
import org.scijava.command.CommandModule;
import org.scijava.log.LogService;

class FineTuneCommandTest {

    @TempDir
    static Path shared;
    static Path base;
    static Path hr;

    @BeforeAll
    static void setUp() throws Exception {
        base = NoGanFixtures.tinyBase(shared.resolve("models"), "tiny");
        hr = NoGanFixtures.emFolder(shared.resolve("hr"), 5, 96);
    }

    @Test
    void quickFineTuneFromTheMenuWritesABundle(@TempDir Path out) throws Exception {
        Path bundle = out.resolve("tiny-ft");
        Map<String, Object> in = new HashMap<>();
        in.put("model", base.toString());
        in.put("hr", hr.toFile());
        in.put("bundle", bundle.toFile());
        in.put("quick", true);
        in.put("features", "none");
        in.put("patch", 16);
        in.put("batch", 4);
        in.put("device", "cpu");
        try (CommandHarness harness = new CommandHarness()) {
            CommandModule module = harness.run(FineTuneCommand.class, in);
            assertFalse(module.isCanceled(), () -> module.getCancelReason());
            assertTrue(Files.isRegularFile(bundle.resolve("rdf.yaml")));
            assertTrue(harness.sawStatus("Decrappify fine-tuning: gan-1 step"), harness.status.toString());
            assertTrue(harness.log.stream().anyMatch(l -> l.matches(".*pretrain validation at step 30: PSNR .* px \\(1 images; best blur"
                    + " -?[\\d.]+ dB: [+-][\\d.]+ dB\\)")), harness.log.toString());
            assertEquals(1, harness.log.stream().filter(l -> l.contains("best Gaussian-smoothed bicubic on the 1 validation images"))
                    .count(), harness.log.toString());
            assertTrue(harness.log.stream().anyMatch(l -> l.contains("fine-tuned model bundle written")), harness.log.toString());
            assertTrue(Files.readString(bundle.resolve("rdf.yaml")).contains("Fine-tune (NoGAN)"), "command recorded");
        }
    }

    @Test
    void cancelKeepsTheCheckpointAndPlotsRenderHeadless(@TempDir Path out) throws Exception {
        FineTuneJob.Options opt = new FineTuneJob.Options(base.toString(), List.of(hr), null, List.of(), null, 0.2, 64,
                Drift.Mode.CORRECT, null, out.resolve("stopped"), null, false, 0, Device.CPU, false, "", "", "", "test",
                net -> NoGanConfig.builder(net).optFeatures(FeatureNet.NONE, null).optPatch(16, 4).optCritic(4, 2, true, true)
                        .quick().optThreads(1).build());
        ModelStore store = new ModelStore(out.resolve("user"), null, out.resolve("cache"), SafeZip.DEFAULT);
        try (CommandHarness harness = new CommandHarness()) {
            int[] steps = {0};
            NoGanMonitor monitor = new NoGanMonitor(harness.context.service(StatusService.class),
                    harness.context.service(LogService.class), () -> ++steps[0] > 12, false);
            FineTuneJob.Result r = new FineTuneJob(store, opt).run(List.of(monitor));
            assertFalse(r.completed());
            assertTrue(Files.isRegularFile(r.workDir().resolve(Checkpoint.FILE)));
            assertFalse(Files.exists(out.resolve("stopped")), "no bundle for a stopped run");
            assertTrue(monitor.curves().generatorPoints() > 0);
            ImagePlus loss = monitor.curves().lossPlot().getImagePlus();
            ImagePlus psnr = monitor.curves().psnrPlot().getImagePlus();
            assertTrue(loss.getWidth() > 100 && psnr.getHeight() > 100);
            // The best blur of the validation images is the grey level of the PSNR plot, as in Fiji Train's.
            java.util.regex.Matcher said = java.util.regex.Pattern.compile("best Gaussian-smoothed bicubic on the 1 validation"
                    + " images: PSNR (-?[\\d.]+) dB").matcher(String.join("\n", harness.log));
            assertTrue(said.find(), harness.log.toString());
            assertEquals(Double.parseDouble(said.group(1)), monitor.curves().baseline(), 0.0005);
            assertEquals(2, monitor.curves().psnrPlot().getDataObjectDesignations().length);
        }
    }

    @Test
    void missingFolderFailsWithOneLine(@TempDir Path out) throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put("model", base.toString());
        in.put("hr", out.resolve("nothing-here").toFile());
        in.put("bundle", out.resolve("m").toFile());
        in.put("device", "cpu");
        try (CommandHarness harness = new CommandHarness()) {
            CommandModule module = harness.run(FineTuneCommand.class, in);
            assertTrue(module.isCanceled());
            assertFalse(module.getCancelReason().contains("\n"));
            assertTrue(module.getCancelReason().contains("nothing-here"), module.getCancelReason());
            assertEquals(1, harness.errors.size(), harness.errors.toString());
        }
    }
}
