package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.FloatProcessor;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.Checksums;
import io.github.decrappify.model.Npy;
import io.github.decrappify.model.RdfYaml;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.testutil.TestBundles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code decrappify models list|show|validate|import|export} with a real (untrained) unet-s bundle. */
class ModelsCommandTest {

    static final String MODEL = "unet-x2";

    @TempDir
    static Path shared;
    static Path store;
    static Path bundle;

    @TempDir
    Path dir;

    @BeforeAll
    static void bundle() throws Exception {
        store = shared.resolve("store");
        bundle = TestBundles.create(store, MODEL, 2);
    }

    private static Cli.Result models(Path modelsDir, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("models"));
        all.addAll(List.of(args));
        all.addAll(List.of("--models-dir", modelsDir.toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void listShowsNameScaleModalityLicenceAndLocation() {
        String out = models(store, "list").assertSuccess().out();
        String row = out.lines().filter(l -> l.startsWith(MODEL)).findFirst().orElseThrow(() -> new AssertionError(out));
        for (String cell : List.of("x2", "em", "CC-BY-4.0", "user", bundle.toString())) {
            assertTrue(row.contains(cell), () -> "no '" + cell + "' in " + row);
        }
        // The option is also accepted before the sub-command.
        Cli.run("models", "--models-dir", store.toString(), "list").assertSuccess();
    }

    @Test
    void listOfAnEmptyStoreSaysHowToImport() {
        String out = models(dir, "list").assertSuccess().out();
        // The bundled models of the checkout may be listed; none may come from the empty user store.
        assertFalse(out.lines().anyMatch(l -> l.contains(" user ")), out);
    }

    @Test
    void showPrintsTheModelCardSummary() {
        String out = models(store, "show", MODEL).assertSuccess().out();
        for (String s : List.of("name:         " + MODEL, "Untrained unet-s x2 for tests", "scale:        x2", "modality:     em",
                "licence:      CC-BY-4.0", "training data: synthetic test data", "psnr: " + TestBundles.PSNR,
                "ssim: " + TestBundles.SSIM, "tile " + TestBundles.TILE + ", halo " + TestBundles.HALO)) {
            assertTrue(out.contains(s), () -> "no '" + s + "' in\n" + out);
        }
    }

    @Test
    void showEscapesControlCharactersFromTheBundlesMetadata() throws Exception {
        // An ANSI colour and an OSC window-title sequence planted in the description (rdf.yaml is not checksummed).
        Path hostile = TestBundles.create(dir, "hostile", 2);
        Path rdf = hostile.resolve("rdf.yaml");
        String yaml = Files.readString(rdf);
        String planted = yaml.replaceFirst("(?m)^description: .*$", "description: \"red \\\\e[31mALERT\\\\e[0m \\\\e]0;pwned\\\\a\"");
        assertNotEquals(yaml, planted, "the fixture has a description line");
        Files.writeString(rdf, planted);
        String out = models(dir, "show", hostile.toString()).assertSuccess().out();
        assertTrue(out.contains("red \\u001b[31mALERT\\u001b[0m \\u001b]0;pwned\\u0007"), out);
        assertTrue(out.chars().noneMatch(c -> c != '\n' && Character.isISOControl(c)), "no raw control character reaches the terminal");
    }

    @Test
    void validatePassesForAnIntactBundle() {
        String out = models(store, "validate", MODEL).assertSuccess().out();
        assertTrue(out.contains("checksums and op allow-list ok"), out);
        assertTrue(out.contains("max |diff|"), out);
        assertTrue(out.contains(MODEL + ": valid"), out);
    }

    @Test
    void validateFailsWhenOnlyTheNumbersDisagree() throws Exception {
        Path copy = copyBundle(dir.resolve("altered"));
        Path npy = copy.resolve("test_output.npy");
        String oldSha = Checksums.sha256(npy);
        Npy.Tensor t = Npy.read(npy);
        float[] data = t.data().clone();
        data[data.length / 2] += 0.05f; // far above 1e-4 of the output range, small enough to look plausible
        Npy.write(npy, new Npy.Tensor(t.shape(), data));
        // Re-sign the altered file so the checksum check passes and only the numeric comparison can fail.
        Path rdf = copy.resolve(RdfYaml.FILE_NAME);
        String yaml = Files.readString(rdf);
        assertTrue(yaml.contains(oldSha));
        Files.writeString(rdf, yaml.replace(oldSha, Checksums.sha256(npy)));

        Cli.Result r = models(dir, "validate", copy.toString());
        r.assertFailure("does not reproduce its test output");
        assertEquals(1, r.code());
        Matcher m = Pattern.compile("max \\|diff\\| ([0-9.e+-]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(0.05, Double.parseDouble(m.group(1)), 0.01);
    }

    /**
     * check-precision measures on this CPU (skipped without native bf16), prints what it records, rewrites only the
     * bf16 block of rdf.yaml (the bundle still opens and validates) and leaves it alone with --dry-run.
     */
    @Test
    void checkBf16RecordsTheMeasurementInRdfYaml() throws Exception {
        Assumptions.assumeTrue(Precision.cpuHasNativeBf16(), "no avx512_bf16/amx_bf16 on this CPU");
        Path copy = copyBundle(dir.resolve("checked"));
        Path rdf = copy.resolve(RdfYaml.FILE_NAME);
        BundleSpec before = RdfYaml.read(rdf);
        String yaml = Files.readString(rdf);
        Path lr = dir.resolve("lr.tif");
        Path hr = dir.resolve("hr.tif");
        IJ.saveAsTiff(new ImagePlus("lr", ramp(150, 70)), lr.toString()); // crops to 128x64, the largest valid size
        IJ.saveAsTiff(new ImagePlus("hr", ramp(300, 140)), hr.toString());

        Cli.Result dry = models(dir, "check-precision", copy.toString(), "--image", lr.toString(), "--truth", hr.toString(),
                "--dry-run");
        assertTrue(dry.out().contains("bf16 vs fp32 on test_tensor, validation image lr.tif: max "), dry.out());
        assertEquals(yaml, Files.readString(rdf), "--dry-run writes nothing");

        Cli.Result r = models(dir, "check-precision", copy.toString(), "--image", lr.toString(), "--truth", hr.toString());
        BundleSpec.Bf16Check c = RdfYaml.read(rdf).bf16();
        assertEquals(before.withBf16(c), RdfYaml.read(rdf), "only the bf16 check changes");
        assertEquals(c.withinBound() ? 0 : 1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(c.summary()), r.out() + " vs " + c.summary());
        assertTrue(c.maxRelDiff() > 0, "bf16 ran: it differs from fp32 somewhere");
        assertTrue(c.meanRelDiff() <= c.maxRelDiff() && c.psnrChangeDb() != null, c.toString());
        assertEquals("test_tensor, validation image lr.tif", c.measuredOn());
        models(dir, "validate", copy.toString()).assertSuccess();

        models(dir, "check-precision", copy.toString(), "--truth", hr.toString()).assertFailure("--truth needs --image");
        models(dir, "check-precision", copy.toString(), "--image", dir.resolve("none.tif").toString()).assertFailure("none.tif");
        IJ.saveAsTiff(new ImagePlus("hr", ramp(200, 100)), hr.toString());
        models(dir, "check-precision", copy.toString(), "--image", lr.toString(), "--truth", hr.toString())
                .assertFailure("--truth hr.tif is 200x100; it must cover 256x128");
    }

    private static FloatProcessor ramp(int w, int h) {
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i % w) * 3 + (i / w) * 2 + (float) Math.sin(i * 0.37) * 20;
        }
        return new FloatProcessor(w, h, p);
    }

    @Test
    void exportThenImportInstallsTheModel() throws Exception {
        Path zip = dir.resolve("share/unet-x2.zip");
        models(store, "export", MODEL, zip.toString()).assertSuccessWithLog();
        assertTrue(Files.isRegularFile(zip));
        models(store, "export", MODEL, zip.toString()).assertFailure("already exists");

        Path other = dir.resolve("other-store");
        String out = models(other, "import", zip.toString()).assertSuccessWithLog().err();
        assertTrue(out.contains("installed " + MODEL), out);
        assertTrue(Files.isRegularFile(other.resolve(MODEL).resolve(RdfYaml.FILE_NAME)));
        // The exported zip's description is one other bioimage.io tools accept.
        try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(zip)) {
            Path rdf = Files.copy(fs.getPath(RdfYaml.FILE_NAME), dir.resolve("exported-rdf.yaml"));
            assertEquals(List.of(), io.github.decrappify.model.BioimageIoSchema.errors(rdf));
        }
        assertTrue(models(other, "list").assertSuccess().out().contains(MODEL));

        models(other, "import", zip.toString()).assertFailure("already installed");
        models(other, "import", zip.toString(), "--overwrite").assertSuccessWithLog();
        models(other, "validate", MODEL).assertSuccess();
    }

    @Test
    void importTakingABundledModelsNameNeedsOverwriteAndListSaysWhichWins() throws Exception {
        String bundled = "em-x4-unet-s";
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("models", bundled)), "checkout's bundled model");
        Path zip = dir.resolve("mine.zip");
        models(dir.resolve("unused"), "export", bundled, zip.toString()).assertSuccessWithLog();
        Path mine = dir.resolve("mine");
        models(mine, "import", zip.toString()).assertFailure("model '" + bundled + "' has the name of a bundled model",
                "import with overwrite");
        assertEquals(0, countEntries(mine), "nothing installed");
        String out = models(mine, "import", zip.toString(), "--overwrite").assertSuccessWithLog().err();
        assertTrue(out.contains("note: '" + bundled + "' now means this model, not the bundled one"), out);
        String list = models(mine, "list").assertSuccess().out();
        List<String> rows = list.lines().filter(l -> l.startsWith(bundled + " ")).toList();
        assertEquals(2, rows.size(), list);
        assertTrue(rows.get(0).contains(" user ") && rows.get(0).contains(mine.toString()), list);
        assertTrue(rows.get(1).contains(" bundled ") && rows.get(1).contains("(hidden: the user model of this name is used)"), list);
        assertTrue(models(mine, "show", bundled).assertSuccess().out().contains(bundled));
    }

    @Test
    void hostileZipIsRefusedAndNothingIsInstalled() throws Exception {
        Path zip = dir.resolve("evil.zip");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            try (Stream<Path> files = Files.list(bundle)) {
                for (Path f : files.sorted().toList()) {
                    z.putNextEntry(new ZipEntry(f.getFileName().toString()));
                    z.write(Files.readAllBytes(f));
                    z.closeEntry();
                }
            }
            z.putNextEntry(new ZipEntry("../evil.txt"));
            z.write("pwned".getBytes());
            z.closeEntry();
        }
        Path target = dir.resolve("victim/store");
        models(target, "import", zip.toString()).assertFailure("evil.zip", "evil.txt");
        assertFalse(Files.exists(dir.resolve("victim/evil.txt")));
        assertFalse(Files.exists(target.resolve("evil.txt")));
        assertEquals(0, countEntries(target), "store left with files");
        assertFalse(models(target, "list").assertSuccess().out().lines().anyMatch(l -> l.contains(" user ")));
    }

    @Test
    void missingSubcommandAndUnknownModelFail() {
        Cli.Result r = Cli.run("models");
        assertEquals(2, r.code());
        for (String sub : List.of("list", "show", "validate", "import", "export")) {
            assertTrue(Cli.run("models", sub, "--help").assertSuccess().out().contains("--models-dir"), sub);
        }
        models(store, "show", "nope").assertFailure("unknown model 'nope'", "available: ", MODEL);
        models(store, "validate", "nope").assertFailure("unknown model 'nope'");
        models(store, "import", dir.resolve("none.zip").toString()).assertFailure("no such file");
    }

    private static long countEntries(Path p) throws IOException {
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            return walk.filter(f -> !f.equals(p)).count();
        }
    }

    private static Path copyBundle(Path parent) throws IOException {
        Path target = Files.createDirectories(parent.resolve(MODEL));
        try (Stream<Path> files = Files.list(bundle)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }
}
