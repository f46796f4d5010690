package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.TiffStackWriter;
import io.github.decrappify.testutil.Blobs;
import io.github.decrappify.testutil.RawTiff;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 10: crappify, train and evaluate read images through restore's reader, so a truncated
 * TIFF, NaN pixels and RGB images are refused by each in one line (exit 1) instead of being read as
 * zeros or accepted silently; signed integers give the same values everywhere. Output names that
 * promise another format than TIFF are a bad command line (exit 2) before any work.
 */
class BadImagesCliTest {

    @TempDir
    static Path tmp;

    static Path good;

    @BeforeAll
    static void headless() throws Exception {
        System.setProperty("java.awt.headless", "true");
        good = tmp.resolve("good.tif");
        Blobs.write(good, 64, 1);
    }

    enum Bad {
        TRUNCATED("is truncated"), NAN("has a NaN pixel at x=5, y=7"), RGB("is an RGB image");

        final String reason;

        Bad(String reason) {
            this.reason = reason;
        }

        /** bad.tif in a folder of its own. */
        Path write(Path dir) throws Exception {
            Files.createDirectories(dir);
            Path f = dir.resolve("bad.tif");
            switch (this) {
                case TRUNCATED -> {
                    try (TiffStackWriter w = new TiffStackWriter(f, new StackShape(64, 64, 1, 3, 1, 32),
                            Calibration.UNCALIBRATED, "")) {
                        for (int z = 0; z < 3; z++) {
                            w.writePlane(0, z, 0, FloatPlane.zeros(64, 64, 1));
                        }
                        w.commit();
                    }
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.truncate(ch.size() - 2 * 64 * 64 * 4); // ImageJ read the lost planes as zeros
                    }
                }
                case NAN -> {
                    FloatProcessor fp = new FloatProcessor(64, 64);
                    fp.setf(5, 7, Float.NaN);
                    IJ.saveAsTiff(new ImagePlus("nan", fp), f.toString());
                }
                case RGB -> IJ.saveAsTiff(new ImagePlus("rgb", new ColorProcessor(64, 64)), f.toString());
            }
            return f;
        }
    }

    @Test
    void crappifyRefusesWhatRestoreRefuses() throws Exception {
        for (Bad bad : Bad.values()) {
            crappifyRefusesWhatRestoreRefuses(bad);
        }
    }

    void crappifyRefusesWhatRestoreRefuses(Bad bad) throws Exception {
        Path in = bad.write(tmp.resolve("crappify_" + bad));
        Path out = tmp.resolve("crappify_" + bad + "_lr.tif");
        Cli.run("crappify", "--preset", "em", "--scale", "2", "-i", in.toString(), "-o", out.toString())
                .assertFailure("decrappify crappify: error: bad.tif", bad.reason);
        assertFalse(Files.exists(out), "no output");
        // Folder mode stops at the bad image too.
        Cli.Result r = Cli.run("crappify", "--preset", "em", "--scale", "2", "-i", in.getParent().toString(), "-o",
                tmp.resolve("crappify_" + bad + "_dir").toString());
        r.assertFailure(bad.reason);
        assertEquals(1, r.code());
    }

    @Test
    void trainRefusesWhatRestoreRefuses() throws Exception {
        for (Bad bad : Bad.values()) {
            trainRefusesWhatRestoreRefuses(bad);
        }
    }

    void trainRefusesWhatRestoreRefuses(Bad bad) throws Exception {
        Path hr = tmp.resolve("train_" + bad);
        bad.write(hr);
        Path out = tmp.resolve("model_" + bad);
        Path val = Files.createDirectories(tmp.resolve("train_val"));
        Files.copy(good, val.resolve("good.tif"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Cli.Result r = Cli.run("train", "-o", out.toString(), "--hr", hr.toString(), "--val-hr", val.toString(),
                "--scale", "2", "--preset", "fluo",
                "--steps", "2", "--batch", "2", "--device", "cpu");
        r.assertFailure("decrappify train: error: bad.tif", bad.reason);
        assertEquals(1, r.code());
        assertFalse(Files.exists(out.resolve("rdf.yaml")), "no model");
    }

    @Test
    void evaluateRefusesWhatRestoreRefuses() throws Exception {
        for (Bad bad : Bad.values()) {
            evaluateRefusesWhatRestoreRefuses(bad);
        }
    }

    void evaluateRefusesWhatRestoreRefuses(Bad bad) throws Exception {
        Path f = bad.write(tmp.resolve("evaluate_" + bad));
        Cli.Result asPrediction = Cli.run("evaluate", "--prediction", f.toString(), "--truth", good.toString());
        asPrediction.assertFailure("decrappify evaluate: error: bad.tif", bad.reason);
        assertEquals(1, asPrediction.code());
        Cli.run("evaluate", "--prediction", good.toString(), "--truth", f.toString()).assertFailure(bad.reason);
    }

    @Test
    void evaluateSeesSignedValuesAsRestoreDoes() throws Exception {
        int w = 64, h = 64;
        long[] v = new long[w * h];
        FloatProcessor same = new FloatProcessor(w, h);
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7919L) % 20000 - 10000;
            same.setf(i, v[i]);
        }
        Path truth = RawTiff.write(tmp.resolve("signed_truth.tif"), w, h, 16, RawTiff.SIGNED, v);
        Path pred = tmp.resolve("signed_pred.tif");
        IJ.saveAsTiff(new ImagePlus("p", same), pred.toString());
        String json = Cli.run("evaluate", "--prediction", pred.toString(), "--truth", truth.toString(), "--json")
                .assertSuccess().out();
        // The same numbers: a perfect score (ImageJ's raw values were 32768 higher: PSNR near 0).
        assertTrue(json.contains("\"nrmse\":0.0") || json.matches("(?s).*\"nrmse\":[0-9.]+E-[5-9].*"), json);
    }

    @Test
    void outputsNamedLikeAnotherFormatAreABadCommandLineBeforeAnyWork() throws Exception {
        Path png = tmp.resolve("x.png");
        // The model does not exist: the name is refused before anything is loaded.
        Cli.Result r = Cli.run("restore", "-m", "no-such-model", "-i", good.toString(), "-o", png.toString());
        r.assertFailure("decrappify restore: error: -o " + png + ": outputs are written as TIFF, not .png; name it x.tif");
        assertEquals(2, r.code());
        Cli.Result folder = Cli.run("restore", "-m", "no-such-model", "-i", tmp.toString(), "-o", png.toString());
        folder.assertFailure("-o " + png + " is named like an image file but the input is a folder");
        assertEquals(2, folder.code());
        Cli.Result qc = Cli.run("restore", "-m", "no-such-model", "-i", good.toString(), "-o", tmp.resolve("x.tif").toString(),
                "--qc", tmp.resolve("q.jpg").toString());
        qc.assertFailure("--qc " + tmp.resolve("q.jpg") + ": outputs are written as TIFF");
        assertEquals(2, qc.code());
        Cli.Result crappify = Cli.run("crappify", "--preset", "em", "-i", good.toString(), "-o", png.toString());
        crappify.assertFailure("-o " + png + ": outputs are written as TIFF, not .png; name it x.tif");
        assertEquals(2, crappify.code());
        assertFalse(Files.exists(png), "nothing written");
    }

    @Test
    void evaluateNumbersOutOfRangeAreABadCommandLine() {
        Cli.Result scale = Cli.run("evaluate", "--prediction", good.toString(), "--truth", good.toString(), "--scale", "0");
        scale.assertFailure("--scale must be from 1 to 64, not 0");
        assertEquals(2, scale.code());
        Cli.Result margin = Cli.run("evaluate", "--prediction", good.toString(), "--truth", good.toString(), "--margin", "-1");
        margin.assertFailure("--margin must be from 0 to 65536, not -1");
        assertEquals(2, margin.code());
    }
}
