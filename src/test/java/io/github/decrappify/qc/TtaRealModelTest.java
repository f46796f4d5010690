package io.github.decrappify.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Percentiles;
import io.github.decrappify.metrics.Psnr;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.tile.TiledPredictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Test-time augmentation and the QC map with the bundled em-x4-unet-s on real ssTEM data. */
class TtaRealModelTest {

    private static final Path SECTION = Path.of("/work/shared/data/cardona_ssTEM_L3_vnc_gerhard2013/stack2_raw/03.tif");

    static BundleModel model;
    static TiledPredictor predictor;

    @BeforeAll
    static void load() throws Exception {
        System.setProperty("java.awt.headless", "true");
        model = BundleModel.load(ModelBundle.open(Path.of("models/em-x4-unet-s")), Device.CPU);
        predictor = new TiledPredictor(model, 0, 0);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static FloatPlane crop(FloatPlane p, int x0, int y0, int w, int h) {
        FloatPlane out = FloatPlane.zeros(w, h, 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.set(x, y, p.get(x0 + x, y0 + y));
            }
        }
        return out;
    }

    @Test
    void ttaIsExactlyEquivariantWhateverTheNetwork() {
        // The mean over the whole group commutes with every symmetry: TTA(rot90(x)) = rot90(TTA(x)).
        ImagePlus imp = IJ.openImage("test-data/em_lr_stack2_s00.tif");
        FloatPlane lr = Percentiles.normalise(crop(new FloatPlane(256, 256,
                (float[]) imp.getProcessor().convertToFloatProcessor().getPixels()), 32, 16, 128, 96));
        TestTimeAugmentation.Result a = TestTimeAugmentation.predict(lr, predictor::predict);
        TestTimeAugmentation.Result b = TestTimeAugmentation.predict(D4.ROT90.apply(lr), predictor::predict);
        FloatPlane expected = D4.ROT90.apply(a.mean());
        double max = 0;
        for (int i = 0; i < expected.data().length; i++) {
            max = Math.max(max, Math.abs(expected.data()[i] - b.mean().data()[i]));
        }
        assertEquals(512, a.mean().width());
        assertTrue(max < 1e-4, "max difference " + max);
        assertEquals(D4.ROT90.apply(a.spread()).data()[1000], b.spread().data()[1000], 1e-4);
    }

    @Test
    void ttaGainsOnAnUnseenSectionAndQcFindsAPastedFeature() {
        assumeTrue(Files.isRegularFile(SECTION), "Gerhard 2013 stack 2 not present");
        ImagePlus imp = IJ.openImage(SECTION.toString());
        FloatPlane hr = Percentiles.normalise(crop(new FloatPlane(1024, 1024,
                (float[]) imp.getProcessor().convertToFloatProcessor().getPixels()), 0, 0, 512, 512));
        Crappifier c = new Crappifier(Presets.em(4));
        FloatPlane lr = c.apply(hr, c.params().typicalLevel(), new Random(0));
        FloatPlane plain = predictor.predict(lr);
        TestTimeAugmentation.Result tta = TestTimeAugmentation.predict(lr, predictor::predict);
        double gain = Psnr.of(hr, tta.mean(), 1) - Psnr.of(hr, plain, 1);
        System.out.printf(Locale.ROOT, "em-x4-unet-s on a 512^2 crop of stack 2 section 03: PSNR %.3f, with TTA %.3f"
                + " (%+.3f dB); mean spread %.4f%n", Psnr.of(hr, plain, 1), Psnr.of(hr, tta.mean(), 1), gain,
                mean(tta.spread()));
        assertTrue(gain > 0, "TTA gain " + gain);

        // The model's own output passes the QC at the level of the LR noise; the same output with a
        // pasted bright vesicle-sized disc (radius 8 HR px, +0.5) does not, and the disc is where the map lights up.
        DataConsistency qc = new DataConsistency(Presets.em(4));
        DataConsistency.Result honest = qc.check(lr, plain);
        FloatPlane pasted = plain.copy();
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                if ((x - 300) * (x - 300) + (y - 200) * (y - 200) <= 64) {
                    pasted.set(x, y, pasted.get(x, y) + 0.5f);
                }
            }
        }
        DataConsistency.Result r = qc.check(lr, pasted);
        double inside = 0;
        for (int y = 49; y < 51; y++) {
            for (int x = 74; x < 76; x++) {
                inside += r.errorMap().get(x, y) / 4;
            }
        }
        System.out.printf(Locale.ROOT, "QC: RSE %.4f RSP %.4f honest; with the disc: RSE %.4f, error at the disc %.3f"
                + " vs mean %.4f%n", honest.rse(), honest.rsp(), r.rse(), inside, mean(r.errorMap()));
        assertTrue(honest.rsp() > 0.9, "rsp " + honest.rsp());
        assertTrue(inside > 5 * mean(honest.errorMap()), inside + " vs " + mean(honest.errorMap()));
    }

    private static double mean(FloatPlane p) {
        double s = 0;
        for (float v : p.data()) {
            s += v;
        }
        return s / p.data().length;
    }
}
