package io.github.decrappify.train.nogan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.model.Checksums;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.model.SafeZip;
import io.github.decrappify.net.Params;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.train.TrainingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole fine-tuning job from folders to a bundle that restore uses, with provenance and interpolation. */
class FineTuneJobTest {

    @TempDir
    static Path shared;
    static Path base;
    static Path hr;
    static ModelStore store;

    @BeforeAll
    static void setUp() throws Exception {
        base = NoGanFixtures.tinyBase(shared.resolve("models"), "tiny");
        hr = NoGanFixtures.emFolder(shared.resolve("hr"), 5, 128);
        store = new ModelStore(shared.resolve("user"), shared.resolve("models"), shared.resolve("cache"), SafeZip.DEFAULT);
    }

    static Function<io.github.decrappify.net.UNetConfig, NoGanConfig> tiny() {
        return net -> TinyNoGan.config().optPretrain(8, 1e-3f).optCriticPretrain(12, 2e-3f, 0.95).optGan(16, 1e-4f, 5, 0.68f)
                .optCycles(1).build();
    }

    static FineTuneJob.Options options(String model, Path output, boolean resume, double alpha, boolean overwrite) {
        return new FineTuneJob.Options(model, List.of(hr), null, List.of(), null, 0.2, 64, Drift.Mode.CORRECT, null, output,
                null, resume, alpha, Device.CPU, overwrite, "", "", "test data: crops of test-data/em_lr_stack2_s00.tif",
                "test", tiny());
    }

    static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Checksums.sha256(p));
            }
        }
        return m;
    }

    @Test
    @SuppressWarnings("unchecked")
    void exportsABundleRestoreUsesWithFullProvenanceAndInterpolates(@TempDir Path out) throws Exception {
        Map<String, String> before = hashes(base);
        Path bundle = out.resolve("tiny-ft");
        FineTuneJob.Result r = new FineTuneJob(store, options("tiny", bundle, false, 0.0, false)).run(List.of());
        assertTrue(r.completed());
        assertEquals(bundle.toAbsolutePath(), r.bundle().toAbsolutePath());

        // The bundle passes the same checks as any imported model, and its weights are the α = 0 endpoint.
        ModelBundle b = ModelBundle.open(bundle);
        assertWeights(r.outcome().best(), BaseModel.of(b).weights());
        Map<String, Object> t = b.spec().training();
        Map<String, Object> baseInfo = (Map<String, Object>) t.get("base_model");
        assertEquals("tiny", baseInfo.get("name"));
        assertEquals(Checksums.sha256(base.resolve("weights.zip")), baseInfo.get("weights_sha256"));
        List<Map<String, Object>> phases = (List<Map<String, Object>>) t.get("phases");
        assertEquals(List.of("generate-0", "critic-0", "pretrain", "generate-1", "critic-1", "gan-1"),
                phases.stream().map(p -> p.get("phase")).toList());
        Map<String, Object> val = (Map<String, Object>) t.get("validation");
        for (String k : List.of("base_model", "pre_gan", "best_gan", "exported")) {
            assertTrue(((Map<String, Object>) val.get(k)).containsKey("frc_px"), k + " in " + val);
        }
        assertEquals(0.0, ((Number) ((Map<String, Object>) t.get("interpolation")).get("alpha")).doubleValue());
        assertTrue(((Map<String, Object>) t.get("config")).get("critic_threshold") != null);
        assertTrue(String.valueOf(t.get("data_kind")).startsWith("HR only"));
        assertTrue(Files.readString(bundle.resolve("README.md")).contains("## Phases"));
        assertTrue(Files.isRegularFile(r.workDir().resolve(NoGanTrainer.LOG)));

        // restore uses it with no further steps.
        ImagePlus lr = new ImagePlus("lr", NoGanFixtures.em());
        Path lrFile = out.resolve("lr.tif");
        IJ.saveAsTiff(lr, lrFile.toString());
        try (BundleModel m = BundleModel.load(b, Device.CPU)) {
            RestoreSettings settings = new RestoreRequest(null, null, RestoreSettings.OutType.FLOAT, false, false)
                    .settingsFor(b.spec());
            new Restorer(m, settings).restoreFile(lrFile, out.resolve("x2.tif"));
        }
        assertEquals(512, IJ.openImage(out.resolve("x2.tif").toString()).getWidth());

        // A finished run re-exports with another alpha without training; alpha = 1 is the pre-GAN generator.
        FineTuneJob.Result again = new FineTuneJob(store, options("tiny", bundle, true, 1.0, true)).run(List.of());
        assertEquals(r.outcome().history(), again.outcome().history(), "nothing trained again");
        assertWeights(again.outcome().preGan(), BaseModel.of(ModelBundle.open(bundle)).weights());
        assertEquals(before, hashes(base), "the base model is untouched");
    }

    static void assertWeights(Params expected, Params actual) {
        assertEquals(expected.asMap().keySet(), actual.asMap().keySet());
        expected.asMap().forEach((k, v) -> assertArrayEquals(v.data(), actual.get(k).data(), 0f, k));
    }

    @Test
    void refusesToWriteOverTheBaseModelOrAnExistingBundle(@TempDir Path out) throws Exception {
        Map<String, String> before = hashes(base);
        TrainingException e = assertThrows(TrainingException.class,
                () -> new FineTuneJob(store, options("tiny", base, false, 0, true)).run(List.of()));
        assertTrue(e.getMessage().contains("would overwrite the base model"), e.getMessage());
        Path existing = Files.createDirectories(out.resolve("exists"));
        e = assertThrows(TrainingException.class,
                () -> new FineTuneJob(store, options("tiny", existing, false, 0, false)).run(List.of()));
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("allow overwriting"), e.getMessage());
        // Overwriting replaces bundles only: a folder of images with the bundle's name stays (issue 13).
        Files.writeString(existing.resolve("notes.txt"), "mine");
        e = assertThrows(TrainingException.class,
                () -> new FineTuneJob(store, options("tiny", existing, false, 0, true)).run(List.of()));
        assertTrue(e.getMessage().contains("is not a model bundle (no rdf.yaml)"), e.getMessage());
        assertEquals("mine", Files.readString(existing.resolve("notes.txt")));
        // An earlier run's checkpoint is not started over without resume or overwrite.
        Path work = Files.createDirectories(out.resolve("b.work"));
        Files.writeString(work.resolve(io.github.decrappify.train.Checkpoint.FILE), "hours of training");
        e = assertThrows(TrainingException.class,
                () -> new FineTuneJob(store, options("tiny", out.resolve("b"), false, 0, false)).run(List.of()));
        assertTrue(e.getMessage().contains("holds the checkpoint of an earlier run"), e.getMessage());
        e = assertThrows(TrainingException.class,
                () -> new FineTuneJob(store, options("tiny", out.resolve("a"), false, 1.5, false)).run(List.of()));
        assertTrue(e.getMessage().contains("alpha must be between"), e.getMessage());
        assertEquals(before, hashes(base));
        assertTrue(!Files.exists(out.resolve("a")) && !Files.exists(out.resolve("a.work")), "nothing written");
    }

    @Test
    void incompatibleBaseModelIsRefusedBeforeTraining(@TempDir Path out) throws Exception {
        Map<String, Object> cfg = NoGanFixtures.tinyTrainingConfig();
        cfg.put("architecture", "care-unet");
        Path other = NoGanFixtures.tinyBase(out, "care", cfg);
        TrainingException e = assertThrows(TrainingException.class,
                () -> new FineTuneJob(store, options(other.toString(), out.resolve("ft"), false, 0, false)).run(List.of()));
        assertTrue(e.getMessage().contains("model 'care' cannot be fine-tuned") && e.getMessage().contains("care-unet"),
                e.getMessage());
        assertTrue(!Files.exists(out.resolve("ft.work")), "no work folder for a refused run");
    }
}
