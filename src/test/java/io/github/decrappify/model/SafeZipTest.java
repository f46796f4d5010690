package io.github.decrappify.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeZipTest {

    @TempDir
    Path dir;

    @Test
    void extractsOrdinaryZips() throws Exception {
        Path zip = write("ok.zip", Zips.of(Zips.entries("a.txt", "alpha", "sub/b.txt", "beta", "empty/", "")));
        Path target = dir.resolve("out");
        SafeZip.DEFAULT.extract(zip, target);
        assertEquals("alpha", Files.readString(target.resolve("a.txt")));
        assertEquals("beta", Files.readString(target.resolve("sub/b.txt")));
        assertTrue(Files.isDirectory(target.resolve("empty")));
    }

    @Test
    void refusesZipSlip() throws Exception {
        assertRefused(Zips.of(Zips.entries("ok.txt", "fine", "../evil.txt", "pwned")),
                "entry '../evil.txt' uses '..' to escape the target folder (zip-slip)");
        assertRefused(Zips.of(Zips.entries("a/../../evil.txt", "pwned")), "zip-slip");
        assertFalse(Files.exists(dir.resolve("evil.txt")));
    }

    @Test
    void refusesAbsolutePathsAndBackslashes() throws Exception {
        assertRefused(Zips.of(Zips.entries("/tmp/evil.txt", "pwned")), "entry '/tmp/evil.txt' has an absolute path");
        assertRefused(Zips.of(Zips.entries("C:/evil.txt", "pwned")), "has an absolute path");
        assertRefused(Zips.of(Zips.entries("..\\evil.txt", "pwned")), "contains a backslash");
    }

    @Test
    void refusesSymlinks() throws Exception {
        byte[] zip = Zips.markSymlink(Zips.of(Zips.entries("ok.txt", "fine", "link", "/etc/passwd")), "link");
        assertRefused(zip, "entry 'link' is a symbolic link");
    }

    @Test
    void refusesDuplicateNamesIncludingCaseOnlyDifferences() throws Exception {
        assertRefused(Zips.rename(Zips.of(Zips.entries("aa.txt", "one", "bb.txt", "two")), "bb.txt", "aa.txt"),
                "has a duplicate entry 'aa.txt'");
        assertRefused(Zips.of(Zips.entries("Model.txt", "one", "model.txt", "two")), "duplicate entry 'model.txt'");
    }

    @Test
    void refusesTooManyEntriesAndTooManyBytes() throws Exception {
        SafeZip small = new SafeZip(2, 1000, 100);
        Path zip = write("many.zip", Zips.of(Zips.entries("a", "1", "b", "2", "c", "3")));
        BundleException e = assertThrows(BundleException.class, () -> small.extract(zip, dir.resolve("t1")));
        assertTrue(e.getMessage().contains("has 3 entries, more than the limit of 2"), e.getMessage());
        Path big = write("big.zip", Zips.of(Zips.entries("a", new byte[600], "b", new byte[600])));
        e = assertThrows(BundleException.class, () -> small.extract(big, dir.resolve("t2")));
        assertTrue(e.getMessage().contains("would inflate beyond the limit of 1000 bytes"), e.getMessage());
        assertOnlyInputsLeft();
    }

    @Test
    void refusesZipBombs() throws Exception {
        // 64 MiB of zeros deflates to ~64 KiB: a ratio near 1000, far above the limit of 100.
        byte[] bomb = Zips.of(Zips.entries("rdf.yaml", "x", "weights.bin", new byte[64 << 20]));
        assertTrue(bomb.length < 1 << 20);
        assertRefused(bomb, "entry 'weights.bin' expands");
    }

    @Test
    void countsBytesEvenWhenHeadersLie() throws Exception {
        // Declared size patched to 10 bytes while 2 MiB inflate: caught while copying, nothing kept.
        byte[] zip = Zips.of(Zips.entries("data.bin", new byte[2 << 20]));
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p + 46 < zip.length; p++) {
            if (buf.getInt(p) == 0x02014b50) {
                buf.putInt(p + 24, 10);
            }
        }
        Path file = write("liar.zip", zip);
        BundleException e = assertThrows(BundleException.class, () -> SafeZip.DEFAULT.extract(file, dir.resolve("t")));
        assertTrue(e.getMessage().startsWith("liar.zip: "), e.getMessage());
        assertOnlyInputsLeft();
    }

    @Test
    void zippingIsReproducible() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/variables"));
        Files.writeString(src.resolve("v.data"), "weights");
        Files.writeString(dir.resolve("src/saved_model.pb"), "graph");
        Path a = dir.resolve("a.zip");
        Path b = dir.resolve("b.zip");
        SafeZip.zipDirectory(dir.resolve("src"), a);
        Files.setLastModifiedTime(src.resolve("v.data"), FileTime.fromMillis(0));
        SafeZip.zipDirectory(dir.resolve("src"), b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(Checksums.sha256(a), Checksums.sha256(b));
    }

    private void assertRefused(byte[] zipBytes, String expected) throws IOException {
        Path zip = write("hostile.zip", zipBytes);
        Path target = dir.resolve("target");
        BundleException e = assertThrows(BundleException.class, () -> SafeZip.DEFAULT.extract(zip, target));
        assertTrue(e.getMessage().startsWith("hostile.zip: ") && e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().endsWith("refusing to extract it"), e.getMessage());
        assertFalse(Files.exists(target));
        assertOnlyInputsLeft();
    }

    /** Nothing but the test's own zips in the folder: no target, no temporary folders. */
    private void assertOnlyInputsLeft() throws IOException {
        try (var files = Files.list(dir)) {
            files.forEach(p -> assertTrue(p.getFileName().toString().endsWith(".zip"), "left behind: " + p));
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}
