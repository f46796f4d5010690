package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import io.github.decrappify.testutil.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code restore --qc} and {@code --tta} end to end with a real (untrained) unet-s bundle: files, stacks, folders. */
class RestoreChecksCliTest {

    static final String MODEL = "unet-x2";

    @TempDir
    static Path shared;
    static Path models;

    @TempDir
    Path dir;

    @BeforeAll
    static void bundle() throws Exception {
        System.setProperty("java.awt.headless", "true");
        models = shared.resolve("models");
        TestBundles.create(models, MODEL, 2);
    }

    private static Cli.Result restore(Path in, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("restore", "-m", MODEL, "-i", in.toString(), "-o", out.toString(),
                "--models-dir", models.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private static ImageProcessor pattern(long seed) {
        Random rng = new Random(seed);
        ByteProcessor ip = new ByteProcessor(96, 80);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 96; x++) {
                ip.set(x, y, (int) (120 + 80 * Math.sin(x / 5.0) * Math.cos(y / 7.0) + 20 * rng.nextDouble()));
            }
        }
        return ip;
    }

    private Path save(ImagePlus imp, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        assertTrue(IJ.saveAsTiff(imp, file.toString()));
        return file;
    }

    private Path stack(String name, int slices) throws Exception {
        ImageStack st = new ImageStack(96, 80);
        for (int z = 0; z < slices; z++) {
            st.addSlice(pattern(z));
        }
        return save(new ImagePlus(name, st), dir.resolve(name));
    }

    private static double mean(ImagePlus imp, int slice) {
        float[] px = (float[]) imp.getStack().getProcessor(slice).convertToFloatProcessor().getPixels();
        double s = 0;
        for (float v : px) {
            s += v;
        }
        return s / px.length;
    }

    @Test
    void fileWithQcAndTtaWritesTheMapsBesideTheResult() throws Exception {
        Path in = stack("in.tif", 1);
        Path out = dir.resolve("out/in_x2.tif");
        Path qc = dir.resolve("checks/in_qc.tif");
        Cli.Result r = restore(in, out, "--qc", qc.toString(), "--tta").assertSuccessWithLog();
        assertTrue(r.err().contains("test-time augmentation"), r.err());
        assertTrue(r.err().contains("QC maps degrade with no crappifier recorded in the bundle: area downsampling"), r.err());
        assertTrue(r.err().matches("(?s).*QC of in.tif: RSE [0-9.]+ \\(input units\\), RSP 0\\.9[0-9]+.*"), r.err());
        ImagePlus result = IJ.openImage(out.toString());
        assertEquals(192, result.getWidth());
        ImagePlus spread = IJ.openImage(dir.resolve("out/in_x2_uncertainty.tif").toString());
        assertEquals(192, spread.getWidth());
        assertEquals(160, spread.getHeight());
        // An untrained network is not symmetric: its 8 passes differ, but far less than the image's contrast.
        double s = mean(spread, 1);
        assertTrue(s > 1e-4 && s < 20, "mean spread " + s);
        ImagePlus map = IJ.openImage(qc.toString());
        assertEquals(96, map.getWidth());
        assertEquals(80, map.getHeight());
        List<String> csv = Files.readAllLines(dir.resolve("checks/in_qc.csv"));
        assertEquals(2, csv.size());
        double rse = Double.parseDouble(csv.get(1).split(",")[3]);
        assertEquals(rse, Math.sqrt(meanSquare(map)), 1e-3 * rse, "RSE is the map's root mean square");
    }

    private static double meanSquare(ImagePlus imp) {
        float[] px = (float[]) imp.getProcessor().getPixels();
        double s = 0;
        for (float v : px) {
            s += (double) v * v;
        }
        return s / px.length;
    }

    @Test
    void stackGetsOneMapPlaneAndCsvRowPerPlane() throws Exception {
        Path in = stack("st.tif", 3);
        Path qc = dir.resolve("st_qc.tif");
        restore(in, dir.resolve("st_x2.tif"), "--qc", qc.toString()).assertSuccessWithLog();
        assertEquals(3, IJ.openImage(qc.toString()).getStackSize());
        List<String> csv = Files.readAllLines(dir.resolve("st_qc.csv"));
        assertEquals(List.of("1,1,1", "1,2,1", "1,3,1"), csv.subList(1, 4).stream().map(l -> l.substring(0, 5)).toList());
        assertFalse(Files.exists(dir.resolve("st_x2_uncertainty.tif")), "no TTA asked");
    }

    @Test
    void folderGetsAQcMapPerImage() throws Exception {
        save(new ImagePlus("a", pattern(1)), dir.resolve("lr/a.tif"));
        save(new ImagePlus("b", pattern(2)), dir.resolve("lr/b.tif"));
        restore(dir.resolve("lr"), dir.resolve("x2"), "--qc", dir.resolve("qc").toString()).assertSuccessWithLog();
        for (String n : List.of("a", "b")) {
            assertTrue(Files.isRegularFile(dir.resolve("x2/" + n + ".tif")));
            assertTrue(Files.isRegularFile(dir.resolve("qc/" + n + "_qc.tif")));
            assertTrue(Files.isRegularFile(dir.resolve("qc/" + n + "_qc.csv")));
        }
        // Rerun with --skip-existing: everything is complete, nothing is redone.
        Cli.Result again = restore(dir.resolve("lr"), dir.resolve("x2"), "--qc", dir.resolve("qc").toString(),
                "--skip-existing").assertSuccessWithLog();
        assertTrue(again.err().contains("restored 0, skipped 2, failed 0"), again.err());
    }

    @Test
    void aQcPathThatIsAFolderIsRefusedWithoutOutputs() throws Exception {
        Path in = stack("in.tif", 1);
        Path out = dir.resolve("o.tif");
        Files.createDirectories(dir.resolve("qcdir"));
        restore(in, out, "--qc", dir.resolve("qcdir").toString()).assertFailureAfterLog("QC map", "is a folder");
        assertFalse(Files.exists(out));
        try (Stream<Path> all = Files.walk(dir)) {
            assertEquals(List.of(), all.filter(p -> p.toString().endsWith(".part")).toList());
        }
    }
}
