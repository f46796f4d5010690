package io.github.decrappify.model;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder moves that keep bundles all-or-nothing: build beside the target, then rename. */
final class Dirs {

    private Dirs() {}

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Best-effort removal of a folder tree we created; never follows symbolic links. */
    static void deleteRecursively(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Leftovers in our own temp folders are harmless; the caller reports the real error.
                }
            });
        } catch (IOException ignored) {
            // Same: cleanup must not mask the failure being reported.
        }
    }

    /** Renames {@code temp} to {@code target}, moving an existing target aside first and deleting it after. */
    static void replace(Path temp, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            moveAtomically(temp, target);
            return;
        }
        Path old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
        Path aside = old.resolve("bundle");
        moveAtomically(target, aside);
        try {
            moveAtomically(temp, target);
        } catch (IOException e) {
            moveAtomically(aside, target);
            throw e;
        } finally {
            deleteRecursively(old);
        }
    }
}
