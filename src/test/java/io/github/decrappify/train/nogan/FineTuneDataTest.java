package io.github.decrappify.train.nogan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.FloatProcessor;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Resample;
import io.github.decrappify.metrics.Registration;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.train.Crops;
import io.github.decrappify.train.TrainJob;
import io.github.decrappify.train.TrainingException;
import io.github.decrappify.train.TrainingPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pairs and HR-only data: matching, scale checks, drift measurement and correction, validation splits. */
class FineTuneDataTest {

    @TempDir
    Path dir;

    static final UNetConfig NET = NoGanFixtures.TINY;

    static FloatPlane em() {
        return new FloatPlane(256, 256, (float[]) NoGanFixtures.em().getPixels());
    }

    static void save(FloatPlane p, Path file) {
        IJ.saveAsTiff(new ImagePlus(file.getFileName().toString(), new FloatProcessor(p.width(), p.height(), p.data())),
                file.toString());
    }

    /** HR = a crop of the real section; LR = the ×2 area-downsampled field {@code (sx, sy)} HR px further on. */
    Path pairs(int n, int sx, int sy) throws Exception {
        Path hr = Files.createDirectories(dir.resolve("hr"));
        Path lr = Files.createDirectories(dir.resolve("lr"));
        FloatPlane em = em();
        for (int i = 0; i < n; i++) {
            int x = 24 + 8 * i;
            save(Crops.crop(em, x, 24, 192, 192), hr.resolve("p" + i + ".tif"));
            save(Resample.areaDown(Crops.crop(em, x + sx, 24 + sy, 192, 192), 2), lr.resolve("p" + i + ".tif"));
        }
        return dir;
    }

    FineTuneData.Options options(Path hr, Path lr, Drift.Mode mode) {
        return new FineTuneData.Options(List.of(hr), lr, List.of(), null, 0.25, 256, mode, Presets.em(2), 1);
    }

    @Test
    void driftOfRealContentIsMeasuredAndCroppedAway() {
        FloatPlane em = TrainJob.normalise(em());
        FloatPlane hr = Crops.crop(em, 24, 24, 192, 192);
        FloatPlane lr = Resample.areaDown(Crops.crop(em, 24 + 6, 24 - 3, 192, 192), 2);
        Registration.Shift s = Drift.measure(hr, lr, 2);
        assertEquals(-6, s.dx(), 0.6, "LR shows the field 6 HR px to the right");
        assertEquals(3, s.dy(), 0.6);
        Drift.Result r = Drift.apply(new TrainingPair("p", hr, lr), 2, Drift.Mode.CORRECT);
        assertTrue(r.corrected());
        assertEquals(r.pair().lr().width() * 2, r.pair().hr().width());
        Registration.Shift after = Drift.measure(r.pair().hr(), r.pair().lr(), 2);
        assertTrue(Math.hypot(after.dx(), after.dy()) < 0.6, "residual drift " + after);
        assertTrue(r.describe().contains("corrected by cropping"), r.describe());
        Drift.Result reported = Drift.apply(new TrainingPair("p", hr, lr), 2, Drift.Mode.REPORT);
        assertFalse(reported.corrected());
        assertTrue(reported.pair() != null && reported.pair().hr() == hr);
    }

    @Test
    void pairedFoldersLoadWithDriftReportAndHeldOutFiles() throws Exception {
        pairs(5, 4, 0);
        List<String> messages = new ArrayList<>();
        FineTuneData.Loaded d = FineTuneData.load(options(dir.resolve("hr"), dir.resolve("lr"), Drift.Mode.CORRECT), NET, 16,
                messages::add);
        assertTrue(d.paired());
        assertEquals(4, d.train().size());
        assertEquals(1, d.validation().size());
        assertTrue(d.valFiles().get(0).endsWith("p4.tif"), d.valFiles().toString());
        assertEquals(5, d.drift().size());
        for (Drift.Result r : d.drift()) {
            assertEquals(-4, r.dx(), 0.6, r.describe());
            assertTrue(r.corrected());
        }
        assertTrue(messages.stream().anyMatch(m -> m.matches("p0.tif: HR/LR drift -(3.9|4.0)\\d, -?0.0\\d HR px, corrected by cropping to 188x192 HR px")), messages.toString());
    }

    @Test
    void fewLargeFieldsHoldOutAStripOfEachField() throws Exception {
        pairs(2, 0, 0);
        FineTuneData.Loaded d = FineTuneData.load(options(dir.resolve("hr"), dir.resolve("lr"), Drift.Mode.OFF), NET, 16, m -> {});
        assertEquals(2, d.train().size());
        assertEquals(2, d.validation().size());
        TrainingPair t = d.train().get(0);
        TrainingPair v = d.validation().get(0);
        assertEquals(192, t.hr().width() + v.hr().width(), "training part and validation strip tile the field");
        assertEquals(t.lr().width() * 2, t.hr().width());
        assertTrue(d.split().contains("strip"), d.split());
    }

    /** The strip comes from the side with structure: a strip of empty background would validate nothing. */
    @Test
    void validationStripIsTakenWhereTheStructureIs() throws Exception {
        Path hrDir = Files.createDirectories(dir.resolve("hr"));
        FloatPlane field = new FloatPlane(192, 128, new float[192 * 128]);
        FloatPlane em = em();
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 192; x++) {
                field.set(x, y, x >= 128 ? em.get(x, y) : 10f + 0.01f * (x % 3));
            }
        }
        save(field, hrDir.resolve("f.tif"));
        FineTuneData.Loaded d = FineTuneData.load(options(hrDir, null, Drift.Mode.OFF), NET, 16, m -> {});
        assertTrue(d.validation().get(0).name().endsWith("right strip"), d.validation().get(0).name());
        FloatPlane mirrored = new FloatPlane(192, 128, new float[192 * 128]);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 192; x++) {
                mirrored.set(x, y, x < 64 ? em.get(x, y) : 10f + 0.01f * (x % 3));
            }
        }
        save(mirrored, hrDir.resolve("f.tif"));
        d = FineTuneData.load(options(hrDir, null, Drift.Mode.OFF), NET, 16, m -> {});
        assertTrue(d.validation().get(0).name().endsWith("left strip"), d.validation().get(0).name());
        assertEquals(144, d.train().get(0).hr().width());
    }

    @Test
    void hrOnlyDataGetsSyntheticValidationInput() throws Exception {
        Path hr = NoGanFixtures.emFolder(dir.resolve("hr"), 4, 96);
        FineTuneData.Loaded d = FineTuneData.load(options(hr, null, Drift.Mode.CORRECT), NET, 16, m -> {});
        assertFalse(d.paired());
        assertEquals(3, d.train().size());
        assertTrue(d.train().stream().noneMatch(TrainingPair::paired));
        assertEquals(48, d.validation().get(0).lr().width());
        assertTrue(d.drift().isEmpty());
    }

    @Test
    void badInputGivesOneLineReasons() throws Exception {
        pairs(2, 0, 0);
        Path hr = dir.resolve("hr");
        Path lr = dir.resolve("lr");
        Files.delete(lr.resolve("p1.tif"));
        String e1 = assertThrows(TrainingException.class, () -> FineTuneData.load(options(hr, lr, Drift.Mode.CORRECT), NET, 16,
                m -> {})).getMessage();
        assertTrue(e1.contains("p1.tif has no LR partner"), e1);

        save(em(), lr.resolve("p1.tif"));
        String e2 = assertThrows(TrainingException.class, () -> FineTuneData.load(options(hr, lr, Drift.Mode.CORRECT), NET, 16,
                m -> {})).getMessage();
        assertTrue(e2.contains("ratio") && e2.contains("2 times smaller"), e2);

        Files.delete(lr.resolve("p1.tif"));
        save(em(), lr.resolve("stray.tif"));
        save(Crops.crop(em(), 0, 0, 96, 96), lr.resolve("p1.tif"));
        String e3 = assertThrows(TrainingException.class, () -> FineTuneData.load(options(hr, lr, Drift.Mode.CORRECT), NET, 16,
                m -> {})).getMessage();
        assertTrue(e3.contains("stray.tif") && e3.contains("has no HR partner"), e3);

        Path empty = Files.createDirectories(dir.resolve("empty"));
        String e4 = assertThrows(TrainingException.class, () -> FineTuneData.load(options(empty, null, Drift.Mode.CORRECT), NET,
                16, m -> {})).getMessage();
        assertTrue(e4.contains("no images"), e4);

        String e5 = assertThrows(TrainingException.class, () -> FineTuneData.load(options(hr, null, Drift.Mode.CORRECT), NET,
                128, m -> {})).getMessage();
        assertTrue(e5.contains("128 px LR patches") && e5.contains("smaller patch size"), e5);
        for (String e : List.of(e1, e2, e3, e4, e5)) {
            assertFalse(e.contains("\n"), e);
        }
    }

    /**
     * The real SR-CACO-2 ×4 pair drifts horizontally. SOURCE.md says ≈4.75 HR px; phase correlation of div1 with
     * the bicubic-upsampled div4 (and a brute-force correlation search) put it at 7 HR px, the forward-model fit at
     * 6.65, 1.0 (see LrToHrTest). On the training crop (LR columns 34:128) the drift is -7.0, 1.45 (phase correlation
     * said -4.07, 2.14); cropping it away leaves the sub-pixel remainder only, so the crop's LR pixels cover the HR
     * pixels they are paired with.
     */
    @Test
    void realCaco2PairDrift() {
        Path d = Path.of("../shared/data/real_pairs_sr_caco2_top");
        assumeTrue(Files.isRegularFile(d.resolve("div1_top.tif")), "shared data present");
        FloatPlane hr = TrainJob.normalise(plane(d.resolve("div1_top.tif")));
        FloatPlane lr = TrainJob.normalise(plane(d.resolve("div4_top.tif")));
        Registration.Shift s = Drift.measure(hr, lr, 4);
        assertEquals(7.0, Math.abs(s.dx()), 0.5, "measured " + s);
        assertTrue(Math.abs(s.dy()) < 1.5, "measured " + s);

        TrainingPair crop = new TrainingPair("caco", Crops.crop(hr, 136, 0, 376, 256), Crops.crop(lr, 34, 0, 94, 64));
        Drift.Result r = Drift.apply(crop, 4, Drift.Mode.CORRECT);
        assertEquals(-7.0, r.dx(), 0.25, r.describe());
        assertEquals(1.5, r.dy(), 0.25, r.describe());
        assertTrue(r.corrected(), r.describe());
        Registration.Shift after = Drift.measure(r.pair().hr(), r.pair().lr(), 4);
        assertEquals(r.dx() - Math.round(r.dx()), after.dx(), 0.15, "residual " + after + " after " + r.describe());
        assertEquals(r.dy() - Math.round(r.dy()), after.dy(), 0.15, "residual " + after + " after " + r.describe());
    }

    static FloatPlane plane(Path f) {
        ImagePlus imp = IJ.openImage(f.toString());
        return new FloatPlane(imp.getWidth(), imp.getHeight(), (float[]) imp.getProcessor().convertToFloatProcessor().getPixels());
    }
}
