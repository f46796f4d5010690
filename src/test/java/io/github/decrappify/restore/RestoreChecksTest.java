package io.github.decrappify.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.DownsampleMode;
import io.github.decrappify.crappify.Range;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.TiffStackWriter;
import io.github.decrappify.qc.DataConsistency;
import io.github.decrappify.qc.QcTable;
import io.github.decrappify.tile.FakeModels;
import io.github.decrappify.tile.FakeModels.Identity;
import io.github.decrappify.tile.TileModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QC map and TTA uncertainty written by the {@link Restorer} beside its results, plane by plane. */
class RestoreChecksTest {

    static final Calibration CAL = new Calibration(0.8, 0.8, 2.0, "micron", 0, "sec");
    /** Area downsampling by 2, no blur: exactly undoes the nearest-neighbour upscaling of {@link Identity}. */
    static final DataConsistency AREA_X2 = new DataConsistency(new CrappifierParams(2, 0,
            Range.of(Double.POSITIVE_INFINITY), Range.of(0), DownsampleMode.AREA, false));

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A 64x48 float stack of {@code slices} planes of smooth random structure in detector-like units. */
    Path stack(String name, int slices, long seed) throws Exception {
        Path file = dir.resolve(name);
        Random r = new Random(seed);
        try (TiffStackWriter w = new TiffStackWriter(file, new StackShape(64, 48, 1, slices, 1, 32), CAL, "")) {
            for (int z = 0; z < slices; z++) {
                FloatPlane p = FloatPlane.zeros(64, 48, 1);
                double fx = 0.1 + 0.2 * r.nextDouble();
                double fy = 0.1 + 0.2 * r.nextDouble();
                for (int y = 0; y < 48; y++) {
                    for (int x = 0; x < 64; x++) {
                        p.set(x, y, (float) (1000 + 400 * Math.sin(fx * x) * Math.cos(fy * y) + 50 * r.nextDouble()));
                    }
                }
                w.writePlane(0, z, 0, p);
            }
            w.commit();
        }
        return file;
    }

    static RestoreSettings whole(int scale) {
        return RestoreSettings.defaults(scale).withTiling(0, 0);
    }

    /** Identity x2, except that on its {@code badCall}-th call it invents a bright 8x8 HR square at (20, 10). */
    static final class Inventing extends Identity {
        final int badCall;
        int calls;

        Inventing(int badCall) {
            super(2, 16, 1, 0);
            this.badCall = badCall;
        }

        @Override
        public FloatPlane predict(FloatPlane in) {
            FloatPlane out = super.predict(in);
            if (++calls == badCall) {
                for (int y = 10; y < 18; y++) {
                    for (int x = 20; x < 28; x++) {
                        out.set(x, y, out.get(x, y) + 0.5f);
                    }
                }
            }
            return out;
        }
    }

    private static ImagePlus open(Path p) {
        ImagePlus imp = IJ.openImage(p.toString());
        assertTrue(imp != null, "cannot open " + p);
        return imp;
    }

    @Test
    void qcMapIsFlatForAFaithfulModelAndShowsAnInventedSquareInItsPlane() throws Exception {
        Path in = stack("in.tif", 3, 1);
        Path out = dir.resolve("out.tif");
        Path qc = dir.resolve("qc/in_qc.tif");
        List<String> messages = new java.util.ArrayList<>();
        Restorer r = new Restorer(new Inventing(2), whole(2), new RestoreListener() {
            @Override
            public void message(String text) {
                messages.add(text);
            }
        }).optQc(AREA_X2);
        assertEquals(Restorer.Outcome.RESTORED, r.restoreFile(in, out, qc));
        ImagePlus map = open(qc);
        assertEquals(64, map.getWidth());
        assertEquals(48, map.getHeight());
        assertEquals(3, map.getNSlices());
        assertEquals(32, map.getBitDepth());
        assertEquals(0.8, map.getCalibration().pixelWidth, 1e-9, "the map is on the input's grid");
        assertTrue(map.getInfoProperty().contains("Data-consistency error map of out.tif"), map.getInfoProperty());
        List<String> csv = Files.readAllLines(QcTable.csvFor(qc));
        assertEquals("c,z,t,rse,rsp,gain,offset", csv.get(0));
        assertEquals(4, csv.size());
        double[] rse = new double[3];
        double[] rsp = new double[3];
        for (int z = 0; z < 3; z++) {
            String[] f = csv.get(z + 1).split(",");
            assertEquals(z + 1, Integer.parseInt(f[1]));
            rse[z] = Double.parseDouble(f[3]);
            rsp[z] = Double.parseDouble(f[4]);
        }
        // Faithful planes: the area downsampling undoes the nearest upscaling exactly.
        assertEquals(0, rse[0], 0.01);
        assertEquals(0, rse[2], 0.01);
        assertEquals(1, rsp[0], 1e-6);
        // Plane 2: the square, 0.5 of the normalisation span in height, covers LR x 10-13, y 5-8 (16 of
        // 3072 LR pixels): error 0.5 span there, RSE about sqrt(16 / 3072) 0.5 span.
        double span;
        try (ImageJStackSource src = ImageJStackSource.open(in)) {
            span = io.github.decrappify.image.Normalisation.ofChannel(src, 0, 1, 99.8).span();
        }
        assertEquals(Math.sqrt(16 / 3072.0) * 0.5 * span, rse[1], 0.05 * rse[1]);
        assertTrue(rsp[1] < 0.995, "rsp " + rsp[1]);
        float[] plane = (float[]) map.getStack().getProcessor(2).getPixels();
        double inside = 0;
        double outside = 0;
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                boolean in2 = x >= 10 && x < 14 && y >= 5 && y < 9;
                if (in2) {
                    inside += plane[y * 64 + x] / 16.0;
                } else {
                    outside += plane[y * 64 + x] / (64 * 48 - 16.0);
                }
            }
        }
        assertEquals(0.5 * span, inside, 0.05 * span);
        assertTrue(inside > 20 * outside, inside + " vs " + outside);
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("QC of in.tif: RSE") && m.contains("lowest RSP")
                && m.contains("z2")), messages.toString());
    }

    @Test
    void ttaOfAnEquivariantModelIsItsPlainResultWithZeroSpread() throws Exception {
        Path in = stack("in.tif", 2, 2);
        Path plain = dir.resolve("plain.tif");
        Path tta = dir.resolve("tta.tif");
        int[] tiles = {0, 0};
        new Restorer(new Identity(2, 16, 1, 0), whole(2)).restoreFile(in, plain);
        new Restorer(new Identity(2, 16, 1, 0), whole(2), new RestoreListener() {
            @Override
            public void tile(int done, int total) {
                tiles[0]++;
                tiles[1] = total;
            }
        }).optTta(true).restoreFile(in, tta);
        assertEquals(16, tiles[0], "8 passes of one tile for each of 2 planes");
        assertEquals(8, tiles[1]);
        Path spread = dir.resolve("tta_uncertainty.tif");
        assertEquals(spread, Restorer.uncertaintyFile(tta));
        ImagePlus u = open(spread);
        assertEquals(128, u.getWidth());
        assertEquals(2, u.getNSlices());
        assertEquals(0.4, u.getCalibration().pixelWidth, 1e-9);
        try (ImageJStackSource a = ImageJStackSource.open(plain); ImageJStackSource b = ImageJStackSource.open(tta);
                ImageJStackSource s = ImageJStackSource.open(spread)) {
            for (int z = 0; z < 2; z++) {
                float[] pa = a.readPlane(0, z, 0).data();
                float[] pb = b.readPlane(0, z, 0).data();
                float[] ps = s.readPlane(0, z, 0).data();
                for (int i = 0; i < pa.length; i++) {
                    assertEquals(pa[i], pb[i], 1e-3);
                    assertEquals(0, ps[i], 1e-3);
                }
            }
        }
    }

    @Test
    void ttaSpreadShowsAModelThatDependsOnOrientation() throws Exception {
        Path in = stack("in.tif", 1, 3);
        TileModel conv = new FakeModels.Conv(2, 2, 16, 1, FakeModels.Upscale.NEAREST, 0); // dx-asymmetric kernel
        Path out = dir.resolve("out.tif");
        new Restorer(conv, whole(2)).optTta(true).restoreFile(in, out);
        try (ImageJStackSource s = ImageJStackSource.open(Restorer.uncertaintyFile(out))) {
            float[] spread = s.readPlane(0, 0, 0).data();
            double mean = 0;
            for (float v : spread) {
                mean += v / spread.length;
            }
            assertTrue(mean > 1, "mean spread " + mean + " (input units)");
        }
    }

    @Test
    void skipAndOverwriteCoverTheChecksToo() throws Exception {
        Path in = stack("in.tif", 1, 4);
        Path out = dir.resolve("out.tif");
        Path qc = dir.resolve("out_qc.tif");
        Restorer first = new Restorer(new Identity(2, 16, 1, 0), whole(2)).optTta(true).optQc(AREA_X2);
        assertEquals(Restorer.Outcome.RESTORED, first.restoreFile(in, out, qc));
        Restorer skip = new Restorer(new Identity(2, 16, 1, 0), whole(2).withSkipExisting(true)).optTta(true).optQc(AREA_X2);
        assertEquals(Restorer.Outcome.SKIPPED, skip.restoreFile(in, out, qc));
        Files.delete(Restorer.uncertaintyFile(out));
        BadInputException e = assertThrows(BadInputException.class, () -> skip.restoreFile(in, out, qc));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> first.restoreFile(in, out, qc));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        Restorer overwrite = new Restorer(new Identity(2, 16, 1, 0), whole(2).withOverwrite(true)).optTta(true).optQc(AREA_X2);
        assertEquals(Restorer.Outcome.RESTORED, overwrite.restoreFile(in, out, qc));
        assertTrue(Files.isRegularFile(Restorer.uncertaintyFile(out)));
        e = assertThrows(BadInputException.class, () -> overwrite.restoreFile(in, out, out));
        assertTrue(e.getMessage().contains("would replace the restored image"), e.getMessage());
    }

    @Test
    void anExistingQcTableIsKeptWithoutOverwrite() throws Exception {
        // Issue 13: restore --qc q.tif replaced an existing q.csv without --overwrite.
        Path in = stack("in.tif", 1, 2);
        Path out = dir.resolve("r.tif");
        Path qc = dir.resolve("q.tif");
        Path table = Files.writeString(dir.resolve("q.csv"), "someone's table");
        Restorer plain = new Restorer(new Identity(2, 16, 1, 0), whole(2)).optQc(AREA_X2);
        BadInputException e = assertThrows(BadInputException.class, () -> plain.restoreFile(in, out, qc));
        assertEquals("Output " + table.toAbsolutePath() + " already exists; allow overwriting or skip existing outputs",
                e.getMessage());
        assertEquals("someone's table", Files.readString(table));
        assertFalse(Files.exists(out) || Files.exists(qc), "nothing written");
        e = assertThrows(BadInputException.class, () -> plain.restoreFile(in, out, dir.resolve("q.csv")));
        assertTrue(e.getMessage().contains("needs a .tif name"), e.getMessage());
        Restorer overwrite = new Restorer(new Identity(2, 16, 1, 0), whole(2).withOverwrite(true)).optQc(AREA_X2);
        assertEquals(Restorer.Outcome.RESTORED, overwrite.restoreFile(in, out, qc));
        assertTrue(Files.readString(table).startsWith("c,z,t,rse,rsp,gain,offset\n"), "replaced when asked");
    }

    @Test
    void aQcMapThatIsAnotherInputIsRefusedInFolderMode() throws Exception {
        Path lr = Files.createDirectories(dir.resolve("lr2"));
        Files.move(stack("a.tif", 1, 2), lr.resolve("a.tif"));
        Files.move(stack("a_qc.tif", 1, 2), lr.resolve("a_qc.tif"));
        byte[] kept = Files.readAllBytes(lr.resolve("a_qc.tif"));
        Restorer r = new Restorer(new Identity(2, 16, 1, 0), whole(2).withOverwrite(true)).optQc(AREA_X2);
        FolderReport report = r.restoreFolder(lr, dir.resolve("x2"), lr);
        assertEquals(1, report.restored(), "a_qc.tif itself restores into x2/");
        assertEquals("its output a_qc.tif would replace the input a_qc.tif; choose another output folder or rename one of"
                + " them", report.failures().get(0).reason());
        assertEquals("a.tif", report.failures().get(0).input().getFileName().toString());
        assertArrayEquals(kept, Files.readAllBytes(lr.resolve("a_qc.tif")));
    }

    @Test
    void folderModeWritesOneQcMapPerImage() throws Exception {
        Path lr = Files.createDirectories(dir.resolve("lr"));
        Files.move(stack("a.tif", 1, 5), lr.resolve("a.tif"));
        Files.move(stack("b.tif", 2, 6), lr.resolve("b.tif"));
        Restorer r = new Restorer(new Identity(2, 16, 1, 0), whole(2)).optQc(AREA_X2);
        FolderReport report = r.restoreFolder(lr, dir.resolve("x2"), dir.resolve("qc"));
        assertEquals(2, report.restored());
        assertEquals(2, open(dir.resolve("qc/b_qc.tif")).getNSlices());
        assertEquals(2, Files.readAllLines(dir.resolve("qc/a_qc.csv")).size());
        assertEquals(3, Files.readAllLines(dir.resolve("qc/b_qc.csv")).size());
        Files.writeString(dir.resolve("afile"), "x");
        BadInputException e = assertThrows(BadInputException.class, () -> r.restoreFolder(lr, dir.resolve("x3"), dir.resolve("afile")));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    }

    @Test
    void multiFrameModelsAreCheckedAgainstTheirCentrePlane() throws Exception {
        // Identity on channel 1 of 3 frames = the centre plane: consistent, so RSE 0 on every plane,
        // and TTA transforms the three frames together (zero spread).
        Path in = stack("in.tif", 4, 8);
        Path out = dir.resolve("out.tif");
        Path qc = dir.resolve("out_qc.tif");
        new Restorer(new Identity(2, 16, 3, 1), whole(2).withFrames(3, io.github.decrappify.model.BundleSpec.FrameAxis.Z)).optQc(AREA_X2)
                .optTta(true).restoreFile(in, out, qc);
        List<String> csv = Files.readAllLines(QcTable.csvFor(qc));
        assertEquals(5, csv.size());
        for (String row : csv.subList(1, 5)) {
            assertEquals(0, Double.parseDouble(row.split(",")[3]), 0.01, row);
        }
        try (ImageJStackSource s = ImageJStackSource.open(Restorer.uncertaintyFile(out))) {
            for (float v : s.readPlane(0, 2, 0).data()) {
                assertEquals(0, v, 1e-3);
            }
        }
    }

    @Test
    void qcNeedsAPathAndTheModelsScale() throws Exception {
        Path in = stack("in.tif", 1, 7);
        Restorer r = new Restorer(new Identity(2, 16, 1, 0), whole(2)).optQc(AREA_X2);
        assertThrows(IllegalArgumentException.class, () -> r.restoreFile(in, dir.resolve("o.tif")));
        DataConsistency x4 = new DataConsistency(AREA_X2.degradation().withScale(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Restorer(new Identity(2, 16, 1, 0), whole(2)).optQc(x4));
        assertTrue(e.getMessage().contains("scale 4"), e.getMessage());
    }
}
