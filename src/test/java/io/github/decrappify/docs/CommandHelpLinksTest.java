package io.github.decrappify.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;

/** Every Fiji command's Help button opens a page (and heading) of the user guide that exists. */
class CommandHelpLinksTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandsHelpPageExists() throws Exception {
        List<String> classes = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/plugins.config")) {
            Matcher m = Pattern.compile("CommandPlugIn\\(\"([\\w.]+)\"\\)").matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                classes.add(m.group(1));
            }
        }
        assertTrue(classes.size() >= 7, classes.toString());
        Path root = Path.of("").toAbsolutePath();
        StringBuilder page = new StringBuilder();
        for (String name : classes) {
            String help = new CommandInfo(Class.forName(name).asSubclass(Command.class)).get("help");
            assertTrue(help != null && !help.isBlank(), name + " has no @Attr(name = \"help\")");
            page.append("[").append(name).append("](").append(root.relativize(root.resolve("docs"))).append('/')
                    .append(help).append(")\n");
        }
        // The links as the docs would write them, checked like every link of the guide.
        Path links = Files.writeString(root.resolve("target").resolve("command-help-links.md"), page.toString()
                .replace("](docs/", "](../docs/"));
        assertEquals(List.of(), new DocLinks(root).problems(List.of(links)));
    }
}
