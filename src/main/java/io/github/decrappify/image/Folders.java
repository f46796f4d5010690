package io.github.decrappify.image;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one recursive delete and the one folder rename of the project. Neither follows symbolic links: a
 * link inside (or at) a tree being deleted is removed, never what it points to.
 */
public final class Folders {

    private Folders() {
    }

    /**
     * Deletes {@code root} and everything below it; nothing happens if it does not exist.
     *
     * @throws IOException on the first file that cannot be deleted
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }

    /**
     * {@link #deleteTree}, best effort: cleaning up our own temporary folders must not mask the error being
     * reported, and leftovers there are harmless.
     */
    public static void deleteTreeQuietly(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort, see above
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort, see above
        }
    }

    /**
     * Renames the folder (or file) {@code from} to {@code to}, which must not exist: atomically where the file
     * system can, else a plain move. A folder built beside its target so becomes visible complete or not at all.
     */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
