package io.github.decrappify.train.nogan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small file helpers for the work folder. */
final class ModelFiles {
    private ModelFiles() {}

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes {@code text} to {@code file} through a temporary sibling and a rename. */
    static void writeAtomically(Path file, String text) throws IOException {
        io.github.decrappify.image.AtomicFiles.writeString(file, text); // unique exclusive temp, not a fixed name
    }
}
