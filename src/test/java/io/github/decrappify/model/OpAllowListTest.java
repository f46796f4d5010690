package io.github.decrappify.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpAllowListTest {

    @TempDir
    Path dir;

    @Test
    void ourExportedModelsPass() throws Exception {
        Path model = TinyModels.exportDoubler(dir.resolve("tiny"));
        Set<String> ops = OpAllowList.opsIn(model);
        assertTrue(ops.containsAll(Set.of("Conv2D", "Placeholder", "RestoreV2", "SaveV2")), ops.toString());
        assertDoesNotThrow(() -> OpAllowList.check(model));
    }

    @Test
    void writeFileIsRefusedByName() throws Exception {
        Path model = TinyModels.exportWithWriteFile(dir.resolve("evil"));
        BundleException e = assertThrows(BundleException.class, () -> OpAllowList.check(model));
        assertTrue(e.getMessage().equals("the SavedModel uses operations that can access files, processes or the"
                + " network: WriteFile; refusing to load it"), e.getMessage());
    }

    @Test
    void servingOutputsMustNotReachCheckpointOps() throws Exception {
        Path model = TinyModels.exportServingSave(dir.resolve("sneaky"));
        BundleException e = assertThrows(BundleException.class, () -> OpAllowList.check(model));
        assertTrue(e.getMessage().contains("serving_default outputs depend on checkpoint file operations (SaveV2)"),
                e.getMessage());
    }

    @Test
    void garbageIsNotASavedModel() throws Exception {
        Files.createDirectories(dir.resolve("junk"));
        Files.write(dir.resolve("junk/saved_model.pb"), new byte[] {(byte) 0xff, 1, 2, 3});
        BundleException e = assertThrows(BundleException.class, () -> OpAllowList.check(dir.resolve("junk")));
        assertTrue(e.getMessage().startsWith("saved_model.pb is not a valid SavedModel"), e.getMessage());
        e = assertThrows(BundleException.class, () -> OpAllowList.check(dir));
        assertTrue(e.getMessage().contains("no saved_model.pb"), e.getMessage());
    }
}
