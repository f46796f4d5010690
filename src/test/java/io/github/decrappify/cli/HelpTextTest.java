package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help renders as written: picocli formats descriptions with String.format, so a bare
 * '%' (as in "1 %") breaks the line into a raw string and prints a warning on stderr at every use.
 */
class HelpTextTest {

    @Test
    void everyCommandsHelpFormatsWithoutWarnings() {
        PrintStream old = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            CommandLine root = new CommandLine(new Main());
            root.getUsageMessage();
            root.getSubcommands().forEach((name, sub) -> {
                names.add(name);
                assertFalse(sub.getUsageMessage().isBlank(), name);
            });
        } finally {
            System.setErr(old);
        }
        assertFalse(names.size() < 7, "subcommands found: " + names);
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "picocli's warnings while rendering help");
    }
}
