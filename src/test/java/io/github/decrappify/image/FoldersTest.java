package io.github.decrappify.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 4: the one recursive delete and the one atomic write that never replaces. */
class FoldersTest {

    @Test
    void deleteTreeRemovesEverythingButNeverFollowsLinks(@TempDir Path dir) throws Exception {
        Path keep = Files.createDirectories(dir.resolve("keep"));
        Files.writeString(keep.resolve("precious.txt"), "x");
        Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f.txt"), "y");
        Files.createSymbolicLink(dir.resolve("tree/link"), keep);
        Folders.deleteTree(dir.resolve("tree"));
        assertFalse(Files.exists(dir.resolve("tree")));
        assertEquals("x", Files.readString(keep.resolve("precious.txt")), "the link's target is left alone");
        Folders.deleteTree(dir.resolve("tree")); // absent: nothing to do
        Folders.deleteTreeQuietly(dir.resolve("absent"));
        Folders.deleteTreeQuietly(keep);
        assertFalse(Files.exists(keep));
    }

    @Test
    void moveAtomicallyRenamesAFolder(@TempDir Path dir) throws Exception {
        Path part = Files.createDirectories(dir.resolve("out.part"));
        Files.writeString(part.resolve("f"), "z");
        Folders.moveAtomically(part, dir.resolve("out"));
        assertEquals("z", Files.readString(dir.resolve("out/f")));
        assertFalse(Files.exists(part));
    }

    @Test
    void createNeverReplacesAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("a.zip");
        AtomicFiles.create(target, t -> Files.write(t, new byte[] {1, 2}));
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target));
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.create(target, t -> Files.write(t, new byte[] {3})));
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target), "an existing file is never replaced");
        AtomicFiles.write(target, t -> Files.write(t, new byte[] {4}));
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(target));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
        assertTrue(Files.isRegularFile(target));
    }
}
