package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every command answers --version with the same line as the tool (it printed an empty line before). */
class VersionTest {

    @Test
    void everyCommandPrintsTheVersion() {
        Cli.Result top = Cli.run("--version").assertSuccess();
        assertTrue(top.out().strip().matches("decrappify \\S+, TensorFlow 2\\.16\\.1"), top.out());
        for (List<String> command : List.of(List.of("restore"), List.of("crappify"), List.of("train"), List.of("evaluate"),
                List.of("models"), List.of("models", "list"), List.of("bench"), List.of("finetune"))) {
            String[] args = new java.util.ArrayList<String>(command) {{ add("--version"); }}.toArray(String[]::new);
            Cli.Result r = Cli.run(args).assertSuccess();
            assertEquals(top.out().strip(), r.out().strip(), String.join(" ", command));
        }
    }
}
