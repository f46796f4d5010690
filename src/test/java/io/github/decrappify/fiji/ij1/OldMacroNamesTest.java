package io.github.decrappify.fiji.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 0.1 macro ({@code run("Models...")}) still runs, and says once how to update it. */
class OldMacroNamesTest {

    @TempDir
    Path dir;

    @Test
    void oldNamesRunTheCommandAndSayOnceWhatToWriteInstead() throws Exception {
        Path macro = Files.writeString(dir.resolve("old.ijm"), String.join("\n",
                "run(\"Models...\", \"action=list\");", "run(\"Models...\", \"action=list\");",
                "run(\"Decrappify Models...\", \"action=list\");", ""));
        MacroHarness.Result r = new MacroHarness(dir).run(macro, "");
        assertTrue(r.completed(), r::toString);
        assertEquals(List.of("Decrappify: run(\"Models...\") is the old name of run(\"Decrappify Models...\"); it still"
                + " works for now: write the new name in your macro (the options stay the same)"),
                r.starting("Decrappify: run("), r::toString);
    }
}
