package io.github.decrappify.fiji.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.testutil.TestBundles;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain ImageJ 1 (no Fiji): without the SciJava jars a macro's {@code run("Decrappify Restore...")} must not pass
 * silently (ImageJ swallows a plug-in's missing classes), and with them copied into ImageJ's
 * {@code jars/} folder, as the install page says, it restores.
 */
class PlainImageJTest {

    @TempDir
    Path dir;

    static Path jar(String prefix) {
        return TensorFlowIsolationTest.testClassPath().stream()
                .filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".jar"))
                .findFirst().orElseThrow(() -> new AssertionError(prefix + "*.jar is not on the test class path"));
    }

    static Path testClasses() {
        return TensorFlowIsolationTest.testClassPath().stream().filter(p -> p.endsWith("test-classes")).findFirst()
                .orElseThrow();
    }

    /** ImageJ 1 alone (and the headless patcher the harness needs): what plain ImageJ has. */
    static List<Path> plainImageJ() {
        return new ArrayList<>(List.of(jar("ij-"), jar("ij1-patcher-"), jar("javassist-"), testClasses()));
    }

    @Test
    void withoutSciJavaTheMacroStopsWithOneLineNamingTheMissingJars() throws Exception {
        List<Path> cp = plainImageJ();
        cp.add(TensorFlowIsolationTest.testClassPath().stream()
                .filter(p -> p.endsWith("classes") && !p.endsWith("test-classes")).findFirst().orElseThrow());
        Path macro = Files.writeString(dir.resolve("plain.ijm"),
                "run(\"Decrappify Restore...\", \"model=em-x4-unet-s\");\nprint(\"carried on\");\n");
        MacroHarness.Result r = new MacroHarness(dir).run(macro, "", cp, Map.of());
        assertFalse(r.completed(), r::toString);
        assertFalse(r.lines().contains("carried on"), "the macro must stop: " + r);
        List<String> errors = r.starting("Decrappify: ");
        assertEquals(1, errors.size(), r::toString);
        assertEquals("Decrappify: the commands need the SciJava jars, which Fiji has and plain ImageJ lacks"
                + " (missing: scijava-common, parsington, imglib2); run Decrappify in Fiji, or copy"
                + " scijava-common-<version>.jar, parsington-<version>.jar, imglib2-<version>.jar from Fiji's"
                + " jars/ folder into ImageJ's jars/ folder and restart ImageJ", errors.get(0));
    }

    /**
     * The layout of the install page: the plug-in jar in {@code plugins/}, the SciJava jars copied into
     * {@code jars/}, the engine elsewhere; unpatched ImageJ loads the bridge with its own class loader.
     */
    @Test
    void withTheSciJavaJarsInImageJsJarsFolderItRestores(@TempDir Path shared) throws Exception {
        Path bundle = TestBundles.create(shared, "unet-x2", 2);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path bridge = TensorFlowIsolationTest.bridgeOnly(Files.createDirectories(dir.resolve("bridge")));
        try (var jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("Decrappify_-test.jar")));
                Stream<Path> files = Files.walk(bridge)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(bridge.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, jar);
                jar.closeEntry();
            }
        }
        Path jars = Files.createDirectories(dir.resolve("jars"));
        for (String prefix : List.of("scijava-common-", "parsington-", "imglib2-")) {
            Path jar = jar(prefix);
            Files.copy(jar, jars.resolve(jar.getFileName()));
        }
        List<Path> engine = new ArrayList<>();
        for (Path p : TensorFlowIsolationTest.testClassPath()) {
            String name = p.getFileName().toString();
            if (p.endsWith("classes") && !p.endsWith("test-classes")) {
                engine.add(0, p);
            } else if (name.endsWith(".jar") && !TensorFlowIsolationTest.fijiJar(name)
                    && Stream.of("junit-", "opentest4j", "apiguardian").noneMatch(name::startsWith)) {
                engine.add(p);
            }
        }
        Path lr = dir.resolve("lr.tif");
        Path out = dir.resolve("restored.tif");
        TensorFlowIsolationTest.writeLr(lr);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = jar("ij-") + File.pathSeparator + testClasses();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dplugins.dir=" + dir, "-D" + Engines.ENGINE_PROPERTY + "="
                + String.join(File.pathSeparator, engine.stream().map(Path::toString).toList()), "-XX:TieredStopAtLevel=1",
                "-cp", cp, PlainImageJMain.class.getName(), lr.toString(), out.toString(),
                CommandPlugIn.class.getName(), "io.github.decrappify.fiji.RestoreCommand",
                "model=[" + bundle + "] device=cpu").redirectErrorStream(true).redirectOutput(dir.resolve("plain.log").toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "plain ImageJ did not finish in 5 minutes");
        String log = Files.readString(dir.resolve("plain.log"));
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("SAVED lr.tif restored by unet-x2"), log);
        ImagePlus restored = IJ.openImage(out.toString());
        assertEquals(128, restored.getWidth(), log);
        assertTrue(restored.getInfoProperty().contains("model unet-x2"), restored.getInfoProperty());
    }
}
