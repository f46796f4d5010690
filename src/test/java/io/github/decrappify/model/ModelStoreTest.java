package io.github.decrappify.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir
    Path work;

    Path userDir;
    Path bundledDir;
    Path bundle;
    ModelStore store;

    @BeforeEach
    void setUp() throws Exception {
        userDir = work.resolve("user-models");
        bundledDir = Files.createDirectories(work.resolve("bundled-models"));
        bundle = Bundles.write(work);
        store = new ModelStore(userDir, bundledDir, work.resolve("cache"), SafeZip.DEFAULT);
    }

    @Test
    void writerRecordsEveryFileWithItsChecksum() throws Exception {
        assertEquals(List.of("README.md", "cover.png", "rdf.yaml", "test_input.npy", "test_output.npy", "weights.zip"),
                List.copyOf(Bundles.files(bundle).keySet()));
        BundleSpec spec = RdfYaml.read(bundle.resolve("rdf.yaml"));
        for (BundleSpec.FileRef ref : spec.artifacts().all()) {
            assertEquals(Checksums.sha256(bundle.resolve(ref.source())), ref.sha256(), ref.source());
        }
        assertEquals("# tiny\n\nDoubles.\n", Files.readString(bundle.resolve("README.md")));
        byte[] png = Files.readAllBytes(bundle.resolve("cover.png"));
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        try (var left = Files.list(work.resolve("out"))) {
            assertEquals(List.of(bundle), left.toList(), "no temporary folders left");
        }
        // Same model exported again: same weights checksum (reproducible zip).
        Path again = new BundleWriter(Bundles.spec(), work.resolve("savedmodel"), Bundles.testInput(),
                Bundles.testOutput()).write(work.resolve("again"));
        assertEquals(spec.artifacts().weights().sha256(),
                RdfYaml.read(again.resolve("rdf.yaml")).artifacts().weights().sha256());
    }

    @Test
    void roundTripExportImportLoadPredict() throws Exception {
        Path zip = work.resolve("tiny.zip");
        BundleWriter.exportZip(bundle, zip);
        ModelBundle imported = store.importZip(zip, false);
        assertEquals(userDir.resolve("tiny"), imported.directory());

        ModelBundle resolved = store.resolve("tiny");
        assertEquals(Bundles.spec().scale(), resolved.spec().scale());
        assertTrue(Files.isRegularFile(resolved.savedModelDir().resolve("saved_model.pb")));
        assertArrayEquals(Bundles.testOutput().data(), resolved.testOutput().data());
        assertArrayEquals(resolved.testOutput().data(), predict(resolved), 1e-6f);

        List<ModelStore.Entry> entries = store.list();
        assertEquals(1, entries.size());
        ModelStore.Entry e = entries.get(0);
        assertEquals("tiny", e.name());
        assertEquals(1, e.scale());
        assertEquals(BundleSpec.Modality.FLUO, e.modality());
        assertEquals("BSD-2-Clause", e.license());
        assertFalse(e.bundled());
        assertNull(e.problem());

        BundleException again = assertThrows(BundleException.class, () -> store.importZip(zip, false));
        assertTrue(again.getMessage().startsWith("model 'tiny' is already installed"), again.getMessage());
        store.importZip(zip, true);
        assertEquals(List.of("tiny"), names(userDir));

        Path exported = work.resolve("exported.zip");
        store.export("tiny", exported);
        assertEquals(Checksums.sha256(zip), Checksums.sha256(exported), "export is reproducible");
        assertEquals("tiny", ModelBundle.open(exported, work.resolve("cache"), SafeZip.DEFAULT).spec().name());
    }

    @Test
    void resolvesFoldersZipsAndBundledNames() throws Exception {
        assertEquals("tiny", store.resolve(bundle.toString()).spec().name());
        Path zip = work.resolve("t.zip");
        BundleWriter.exportZip(bundle, zip);
        assertEquals(zip, store.resolve(zip.toString()).source());
        Files.move(bundle, bundledDir.resolve("tiny"));
        assertEquals(bundledDir.resolve("tiny"), store.resolve("tiny").directory());
        assertTrue(store.list().get(0).bundled());
        // A zip with the bundle inside one top-level folder is accepted too.
        Map<String, byte[]> nested = new java.util.LinkedHashMap<>();
        for (var f : Bundles.files(bundledDir.resolve("tiny")).entrySet()) {
            nested.put("tiny/" + f.getKey(), f.getValue());
        }
        Path nestedZip = work.resolve("nested.zip");
        Files.write(nestedZip, Zips.of(nested));
        assertEquals("tiny", store.resolve(nestedZip.toString()).spec().name());
    }

    @Test
    void importRefusesToShadowABundledNameUnlessOverwrite() throws Exception {
        Path zip = work.resolve("tiny.zip");
        BundleWriter.exportZip(bundle, zip);
        Files.move(bundle, bundledDir.resolve("tiny"));
        BundleException e = assertThrows(BundleException.class, () -> store.importZip(zip, false));
        assertTrue(e.getMessage().startsWith("model 'tiny' has the name of a bundled model"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(0, Zips.countEntries(userDir), "nothing may be left in the store");
        assertEquals(bundledDir.resolve("tiny"), store.resolve("tiny").directory());
        store.importZip(zip, true);
        assertEquals(userDir.resolve("tiny"), store.resolve("tiny").directory(), "with overwrite the user's copy wins");
    }

    @Test
    void unknownNamesListTheAvailableOnes() throws Exception {
        Files.move(bundle, bundledDir.resolve("tiny"));
        BundleException e = assertThrows(BundleException.class, () -> store.resolve("nosuch"));
        assertEquals("unknown model 'nosuch'; available: tiny (or give a bundle folder or .zip)", e.getMessage());
        e = assertThrows(BundleException.class, () -> store.resolve("../tiny.zip"));
        assertEquals("model '../tiny.zip': no such file or folder", e.getMessage());
    }

    @Test
    void aBundledNameRefusedLeavesNoWeightsAndListMarksTheHiddenModel() throws Exception {
        Path zip = work.resolve("tiny.zip");
        BundleWriter.exportZip(bundle, zip);
        Files.move(bundle, bundledDir.resolve("tiny"));
        BundleException e = assertThrows(BundleException.class, () -> store.importZip(zip, false));
        assertTrue(e.getMessage().startsWith("model 'tiny' has the name of a bundled model"), e.getMessage());
        assertFalse(Files.exists(userDir.resolve("tiny")));
        assertEquals(List.of(), cached(), "refused before unpacking weights");
        assertEquals(bundledDir.resolve("tiny"), store.resolve("tiny").directory());
        assertFalse(store.list().get(0).hidden());

        store.importZip(zip, true);
        assertEquals(userDir.resolve("tiny"), store.resolve("tiny").directory(), "the user store wins");
        List<ModelStore.Entry> entries = store.list();
        assertEquals(2, entries.size());
        assertFalse(entries.get(0).bundled());
        assertFalse(entries.get(0).hidden());
        assertTrue(entries.get(1).bundled());
        assertTrue(entries.get(1).hidden());
        assertTrue(store.isBundledName("tiny"));
        assertFalse(store.isBundledName("../tiny"));
    }

    @Test
    void exportNeverWritesIntoTheBundleNorReplacesAFile() throws Exception {
        Path inside = bundle.resolve("tiny.zip");
        BundleException e = assertThrows(BundleException.class, () -> BundleWriter.exportZip(bundle, inside));
        assertEquals(inside + " is inside the bundle folder " + bundle + "; choose a file outside it", e.getMessage());
        assertEquals(List.of("README.md", "cover.png", "rdf.yaml", "test_input.npy", "test_output.npy", "weights.zip"),
                names(bundle), "the bundle is unchanged");
        Path taken = Files.writeString(work.resolve("taken.zip"), "someone's file");
        assertThrows(BundleException.class, () -> BundleWriter.exportZip(bundle, taken));
        assertEquals("someone's file", Files.readString(taken));
        Path zip = work.resolve("share/tiny.zip");
        BundleWriter.exportZip(bundle, zip);
        assertEquals("tiny", ModelBundle.open(zip, work.resolve("cache"), SafeZip.DEFAULT).spec().name());
        assertEquals(List.of("tiny.zip"), names(zip.getParent()), "no temporary file left");
    }

    @Test
    void aRejectedBundleLeavesNothingInTheCache() throws Exception {
        Map<String, byte[]> files = withEvilWeights();
        Path zip = work.resolve("evil-bundle.zip");
        Files.write(zip, Zips.of(files));
        // Opened directly (restore -m evil.zip, models validate evil.zip): neither the bundle nor its weights stay.
        BundleException e = assertThrows(BundleException.class, () -> store.resolve(zip.toString()));
        assertTrue(e.getMessage().contains("WriteFile"), e.getMessage());
        assertEquals(List.of(), cached(), "no extracted bundle or unpacked weights left");
        // A good bundle opened the same way stays cached (and is reused).
        Path good = work.resolve("good.zip");
        BundleWriter.exportZip(bundle, good);
        Path dir = store.resolve(good.toString()).directory();
        assertEquals(dir, store.resolve(good.toString()).directory());
        assertEquals(2, cached().size(), "the good bundle and its weights");
    }

    // ------------------------------------------------------------------ hostile bundles

    @Test
    void zipSlipEntryIsRefused() throws Exception {
        Map<String, byte[]> files = Bundles.files(bundle);
        files.put("../escaped.txt", new byte[] {1});
        assertImportRefused(files, "uses '..' to escape the target folder (zip-slip)");
        assertFalse(Files.exists(userDir.resolveSibling("escaped.txt")));
    }

    @Test
    void absolutePathIsRefused() throws Exception {
        Map<String, byte[]> files = Bundles.files(bundle);
        files.put("/tmp/decrappify-absolute.txt", new byte[] {1});
        assertImportRefused(files, "entry '/tmp/decrappify-absolute.txt' has an absolute path");
    }

    @Test
    void symlinkEntryIsRefused() throws Exception {
        Map<String, byte[]> files = Bundles.files(bundle);
        files.put("passwd", "/etc/passwd".getBytes(StandardCharsets.UTF_8));
        Path zip = work.resolve("hostile.zip");
        Files.write(zip, Zips.markSymlink(Zips.of(files), "passwd"));
        assertRefused(zip, "entry 'passwd' is a symbolic link");
    }

    @Test
    void checksumMismatchIsRefused() throws Exception {
        Map<String, byte[]> files = Bundles.files(bundle);
        byte[] weights = files.get("weights.zip");
        Path other = TinyModels.exportDoubler(work.resolve("other"));
        Files.writeString(other.resolve("extra.txt"), "modified");
        SafeZip.zipDirectory(other, work.resolve("other.zip"));
        files.put("weights.zip", Files.readAllBytes(work.resolve("other.zip")));
        assertFalse(java.util.Arrays.equals(weights, files.get("weights.zip")));
        assertImportRefused(files, "model 'tiny': weights.zip sha256 mismatch — the bundle is corrupt or was modified;"
                + " re-download or re-export it");
        files = Bundles.files(bundle);
        files.get("test_input.npy")[200] ^= 1;
        assertImportRefused(files, "model 'tiny': test_input.npy sha256 mismatch");
    }

    @Test
    void missingRdfYamlIsRefused() throws Exception {
        Map<String, byte[]> files = Bundles.files(bundle);
        files.remove("rdf.yaml");
        assertImportRefused(files, "the zip holds no rdf.yaml; not a model bundle");
    }

    @Test
    void missingWeightsAreRefused() throws Exception {
        Map<String, byte[]> files = Bundles.files(bundle);
        files.remove("weights.zip");
        assertImportRefused(files, "model 'tiny': weights.zip is missing (or not a regular file); the bundle is"
                + " incomplete — re-download or re-export it");
    }

    @Test
    void wrongTypesInRdfYamlAreRefused() throws Exception {
        Map<String, byte[]> files = Bundles.files(bundle);
        String rdf = new String(files.get("rdf.yaml"), StandardCharsets.UTF_8);
        files.put("rdf.yaml", rdf.replace("    scale: 1\n    modality", "    scale: [1]\n    modality")
                .getBytes(StandardCharsets.UTF_8));
        assertImportRefused(files, "rdf.yaml: config.decrappify.scale must be a positive integer");
    }

    @Test
    void zipBombIsRefused() throws Exception {
        store = new ModelStore(userDir, bundledDir, work.resolve("cache"), new SafeZip(100, 8L << 20, 50));
        Map<String, byte[]> files = Bundles.files(bundle);
        files.put("padding.bin", new byte[6 << 20]);
        assertImportRefused(files, "entry 'padding.bin' expands");
        files.put("padding.bin", new byte[1 << 10]);
        byte[] noise = new byte[9 << 20];
        new java.util.Random(1).nextBytes(noise);
        files.put("more.bin", noise);
        assertImportRefused(files, "would inflate beyond the limit of 8388608 bytes");
    }

    /** The bundle with weights holding a {@code WriteFile} op, checksums updated (refused by the op allow-list). */
    private Map<String, byte[]> withEvilWeights() throws Exception {
        Map<String, byte[]> files = Bundles.files(bundle);
        Path evil = work.resolve("evil");
        if (!Files.isDirectory(evil)) {
            TinyModels.exportWithWriteFile(evil);
        }
        SafeZip.zipDirectory(evil, work.resolve("evil.zip"));
        byte[] evilWeights = Files.readAllBytes(work.resolve("evil.zip"));
        Files.delete(work.resolve("evil.zip"));
        String rdf = new String(files.get("rdf.yaml"), StandardCharsets.UTF_8);
        files.put("rdf.yaml", rdf.replace(Checksums.sha256(files.get("weights.zip")), Checksums.sha256(evilWeights))
                .getBytes(StandardCharsets.UTF_8));
        files.put("weights.zip", evilWeights);
        return files;
    }

    @Test
    void forbiddenOpIsRefused() throws Exception {
        Map<String, byte[]> files = withEvilWeights();
        Path evil = work.resolve("evil");
        assertImportRefused(files, "model 'tiny': the SavedModel uses operations that can access files, processes or"
                + " the network: WriteFile; refusing to load it");
        BundleException writer = assertThrows(BundleException.class, () -> new BundleWriter(Bundles.spec(), evil,
                Bundles.testInput(), Bundles.testOutput()).write(work.resolve("never")));
        assertTrue(writer.getMessage().contains("WriteFile"), writer.getMessage());
        assertEquals(0, Zips.countEntries(work.resolve("never")));
    }

    private void assertImportRefused(Map<String, byte[]> files, String expected) throws Exception {
        Path zip = work.resolve("hostile.zip");
        Files.write(zip, Zips.of(files));
        assertRefused(zip, expected);
    }

    private void assertRefused(Path zip, String expected) throws Exception {
        BundleException e = assertThrows(BundleException.class, () -> store.importZip(zip, false));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(0, Zips.countEntries(userDir), "nothing may be left in the store");
        assertTrue(store.list().isEmpty());
        assertEquals(List.of(), cached(), "nothing may be left in the cache");
    }

    /** What the cache holds below its bundles/ and weights/ folders. */
    private List<Path> cached() throws Exception {
        List<Path> found = new java.util.ArrayList<>();
        for (String sub : new String[] {"bundles", "weights"}) {
            Path dir = work.resolve("cache").resolve(sub);
            if (Files.isDirectory(dir)) {
                found.addAll(names(dir).stream().map(dir::resolve).toList());
            }
        }
        return found;
    }

    private static List<String> names(Path dir) throws Exception {
        try (var list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static float[] predict(ModelBundle bundle) throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(bundle.savedModelDir()).optEngine("TensorFlow").optTranslator(new NoopTranslator())
                .build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = model.getNDManager().newSubManager()) {
            Npy.Tensor in = bundle.testInput();
            int[] s = in.shape();
            NDArray x = manager.create(in.data(), new ai.djl.ndarray.types.Shape(s[0], s[1], s[2], s[3]));
            NDArray y = predictor.predict(new NDList(x)).singletonOrThrow();
            assertArrayEquals(new long[] {1, 32, 16, 1}, y.getShape().getShape());
            return y.toFloatArray();
        }
    }
}
