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

    /**
     * Renames the file {@code from} to {@code to} unless {@code to} exists (also one created a moment ago:
     * a hard link is created exclusively, then the temporary name removed), so a file is never replaced.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code to} exists
     */
    static void moveNoReplace(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            if (e instanceof java.nio.file.FileAlreadyExistsException exists) {
                throw exists;
            }
            Files.move(from, to); // no hard links here: not atomic, but still never replaces
            return;
        }
        Files.delete(from);
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
