package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.decrappify.model.ModelStore;
import io.github.decrappify.model.SafeZip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstalledModelsTest {

    @TempDir
    Path dir;

    @Test
    void userAndBundledModelsThatOpenEachNameOnce() throws Exception {
        Path user = dir.resolve("user");
        String em = Files.readString(Path.of("models/em-x4-unet-s/rdf.yaml"));
        Files.createDirectories(user.resolve("mine"));
        Files.writeString(user.resolve("mine/rdf.yaml"), em.replaceFirst("(?m)^name: em-x4-unet-s$", "name: mine"));
        Files.createDirectories(user.resolve("em-x4-unet-s")); // a user copy shadows the bundled one
        Files.writeString(user.resolve("em-x4-unet-s/rdf.yaml"), em);
        Files.createDirectories(user.resolve("broken"));
        Files.writeString(user.resolve("broken/rdf.yaml"), "not: [a bundle");
        ModelStore store = new ModelStore(user, Path.of("models"), dir.resolve("cache"), SafeZip.DEFAULT);
        assertEquals(List.of("em-x4-unet-s", "mine", "fluo-denoise-unet-s", "fluo-x4-confocal-unet-s", "fluo-x4-unet-s"), InstalledModels.names(store));
    }
}
