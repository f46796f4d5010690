package io.github.decrappify.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile bundles that look valid at the top level: their rdf.yaml checksums match, the attack is one
 * level down (inside weights.zip, or in a test tensor's header). Each import is refused with one line,
 * and the store and cache hold nothing of it. (ModelStoreTest covers the top-level cases.)
 */
class HostileImportTest {

    @TempDir
    Path work;

    Path userDir;
    Path cache;
    Path bundle;
    ModelStore store;

    @BeforeEach
    void setUp() throws Exception {
        userDir = work.resolve("user-models");
        cache = work.resolve("cache");
        bundle = Bundles.write(work);
        store = new ModelStore(userDir, null, cache, new SafeZip(1000, 64L << 20, 100));
    }

    /** The bundle's files with {@code name} replaced by {@code content} and rdf.yaml's checksum updated. */
    Map<String, byte[]> withFile(String name, byte[] content) throws Exception {
        Map<String, byte[]> files = Bundles.files(bundle);
        String rdf = new String(files.get("rdf.yaml"), StandardCharsets.UTF_8);
        String old = Checksums.sha256(files.get(name));
        assertTrue(rdf.contains(old), name + "'s checksum is in rdf.yaml");
        files.put("rdf.yaml", rdf.replace(old, Checksums.sha256(content)).getBytes(StandardCharsets.UTF_8));
        files.put(name, content);
        return files;
    }

    /** weights.zip's own entries (the SavedModel), to rebuild it with something added. */
    Map<String, byte[]> weightsEntries() throws Exception {
        Path unpacked = work.resolve("weights-unpacked");
        new SafeZip(1000, 64L << 20, 100).extract(bundle.resolve("weights.zip"), unpacked);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (var walk = Files.walk(unpacked)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                entries.put(unpacked.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return entries;
    }

    @Test
    void symbolicLinkInsideWeightsZipIsRefused() throws Exception {
        Map<String, byte[]> weights = weightsEntries();
        weights.put("variables/link", "/etc/passwd".getBytes(StandardCharsets.UTF_8));
        byte[] zip = Zips.markSymlink(Zips.of(weights), "variables/link");
        assertRefused(withFile("weights.zip", zip), "weights.zip: entry 'variables/link' is a symbolic link");
    }

    @Test
    void zipSlipInsideWeightsZipIsRefused() throws Exception {
        Map<String, byte[]> weights = weightsEntries();
        weights.put("../../../escaped", new byte[] {1});
        assertRefused(withFile("weights.zip", Zips.of(weights)), "uses '..' to escape the target folder (zip-slip)");
        assertFalse(Files.exists(work.resolve("escaped")));
    }

    @Test
    void weightsZipInflatingBeyondTheSizeBoundIsRefused() throws Exception {
        store = new ModelStore(userDir, null, cache, new SafeZip(1000, 1L << 20, 100));
        Map<String, byte[]> weights = weightsEntries();
        weights.put("assets/padding.bin", new byte[2 << 20]); // 2 MiB of zeros: a few kB compressed
        byte[] inner = Zips.of(weights);
        assertTrue(inner.length < 1 << 20, "the bundle zip itself stays within the bound");
        assertRefused(withFile("weights.zip", inner), "weights.zip: entry 'assets/padding.bin' expands");
    }

    @Test
    void testTensorClaimingAHugeShapeIsRefusedBeforeAllocating() throws Exception {
        // A valid .npy header for 1 x 65536 x 65536 x 1 floats (16 GiB) followed by 64 bytes of data.
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 65536, 65536, 1), }";
        StringBuilder header = new StringBuilder(dict);
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] npy = new byte[10 + h.length + 64];
        npy[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, npy, 1, 5);
        npy[6] = 1;
        npy[8] = (byte) (h.length & 0xff);
        npy[9] = (byte) (h.length >> 8);
        System.arraycopy(h, 0, npy, 10, h.length);
        assertRefused(withFile("test_input.npy", npy), "test_input.npy");
    }

    @Test
    void duplicateEntriesDifferingOnlyInCaseAreRefused() throws Exception {
        Map<String, byte[]> files = Bundles.files(bundle);
        files.put("RDF.yaml", files.get("rdf.yaml"));
        assertRefused(files, "has a duplicate entry 'RDF.yaml'");
    }

    private void assertRefused(Map<String, byte[]> files, String expected) throws Exception {
        Path zip = work.resolve("hostile.zip");
        Files.write(zip, Zips.of(files));
        BundleException e = assertThrows(BundleException.class, () -> store.importZip(zip, false));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(0, Zips.countEntries(userDir), "nothing left in the store");
        assertTrue(store.list().isEmpty());
        if (Files.isDirectory(cache.resolve("weights"))) {
            try (var left = Files.list(cache.resolve("weights"))) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no partial extraction left");
            }
        }
    }
}
