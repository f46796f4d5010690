package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.fiji.ij1.MacroHarness;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins › Decrappify › Decrappify Models… as a colleague would use it from a macro: export a model to a zip,
 * import it into the user store, list, show its card and cover, validate it, and have a tampered zip
 * refused with nothing installed.
 */
public class ModelsCommandTest {

    @TempDir
    Path dir;

    @Test
    void exportImportListShowValidateAndRefuseATamperedZip() throws Exception {
        Path bundle = TinyBundles.write(dir, "tiny-x2", 2);
        Path zip = dir.resolve("shared").resolve("tiny-x2.zip");
        Files.createDirectories(zip.getParent());
        Path tampered = dir.resolve("shared").resolve("tampered.zip");
        MacroHarness ij = new MacroHarness(dir.resolve("fiji"));
        Path macro = dir.resolve("models.ijm");
        Files.writeString(macro, String.join("\n",
                "setBatchMode(true);",
                "run(\"Decrappify Models...\", \"action=list\");",
                "run(\"Decrappify Models...\", \"action=export model=[" + bundle + "] zip=[" + zip + "]\");",
                "run(\"Decrappify Models...\", \"action=import zip=[" + zip + "]\");",
                "run(\"Decrappify Models...\", \"action=list\");",
                "run(\"Decrappify Models...\", \"action=show model=tiny-x2\");",
                "print(\"cover: \" + getTitle() + \" \" + getWidth() + \"x\" + getHeight());",
                "run(\"Decrappify Models...\", \"action=validate model=tiny-x2 device=cpu\");",
                // the same zip with one changed byte in the test output: its checksum no longer matches
                "call(\"" + ModelsCommandTest.class.getName() + ".tamper\", \"" + zip + "\", \"" + tampered + "\");",
                "run(\"Decrappify Models...\", \"action=import zip=[" + tampered + "] overwrite\");", ""));
        MacroHarness.Result r = ij.run(macro, "");
        assertFalse(r.completed(), "the tampered import stops the macro: " + r);
        List<String> lines = r.lines();
        int empty = lines.indexOf("Decrappify: no models installed (user store: " + ij.models() + "); import one with action=import");
        assertTrue(empty >= 0, r::toString);
        assertTrue(lines.contains("Decrappify: exported " + bundle + " to " + zip), r::toString);
        assertTrue(lines.contains("Decrappify: installed tiny-x2 (x2, em, BSD-2-Clause) in " + ij.models().resolve("tiny-x2")),
                r::toString);
        assertTrue(lines.contains("Decrappify: tiny-x2  x2  em  BSD-2-Clause  user  " + ij.models().resolve("tiny-x2")),
                r::toString);
        assertTrue(lines.contains("Decrappify: description:  Untrained tiny generator; for tests"), r::toString);
        assertTrue(lines.contains("Decrappify: scale:        x2 super-resolution"), r::toString);
        assertTrue(lines.stream().anyMatch(l -> l.equals("cover: tiny-x2 cover (LR | restored | HR) 48x16")),
                r::toString);
        assertTrue(lines.contains("Decrappify: tiny-x2: valid"), r::toString);
        assertEquals(List.of("Decrappify: model 'tiny-x2': test_output.npy sha256 mismatch — the bundle is corrupt or was"
                + " modified; re-download or re-export it"), r.starting("Decrappify: model "), r::toString);
        try (Stream<Path> store = Files.list(ij.models())) {
            assertEquals(List.of(ij.models().resolve("tiny-x2")), store.toList(), "nothing half-imported beside the model");
        }
    }

    /** Copies a bundle zip, flipping one byte of test_output.npy's data (called from the macro). */
    public static String tamper(String from, String to) throws Exception {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(Path.of(from)));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(Path.of(to)))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] data = in.readAllBytes();
                if (e.getName().endsWith("test_output.npy")) {
                    data[data.length - 1] ^= 1;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
        return to;
    }
}
