package io.github.decrappify.cli;

import io.github.decrappify.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the CLI finds models: the user store and the {@code models/} folder of the installation. */
final class Stores {
    private Stores() {}

    /** {@code -Ddecrappify.home} (set by bin/decrappify), else the working directory. */
    static Path bundledModels() {
        String home = System.getProperty("decrappify.home");
        Path dir = home != null ? Paths.get(home, "models") : Paths.get("models");
        return Files.isDirectory(dir) ? dir : null;
    }

    static ModelStore store(Path modelsDir) {
        ModelStore standard = ModelStore.standard(bundledModels());
        if (modelsDir == null) {
            return standard;
        }
        return new ModelStore(modelsDir, bundledModels(), io.github.decrappify.model.Caches.root(),
                io.github.decrappify.model.SafeZip.DEFAULT);
    }
}
