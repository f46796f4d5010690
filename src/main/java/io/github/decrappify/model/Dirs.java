package io.github.decrappify.model;

import io.github.decrappify.image.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Replacing a bundle folder all-or-nothing: build beside the target, then rename. */
final class Dirs {

    private Dirs() {}

    /** Renames {@code temp} to {@code target}, moving an existing target aside first and deleting it after. */
    static void replace(Path temp, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Folders.moveAtomically(temp, target);
            return;
        }
        Path old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
        Path aside = old.resolve("bundle");
        Folders.moveAtomically(target, aside);
        try {
            Folders.moveAtomically(temp, target);
        } catch (IOException e) {
            Folders.moveAtomically(aside, target);
            throw e;
        } finally {
            Folders.deleteTreeQuietly(old);
        }
    }
}
