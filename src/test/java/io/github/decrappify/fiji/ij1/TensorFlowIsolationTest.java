package io.github.decrappify.fiji.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ShortProcessor;
import io.github.decrappify.testutil.TestBundles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decrappify and a plugin shipping TensorFlow 1.x Java classes (as CSBDeep does) in one Fiji: the JVM
 * is laid out as Fiji would be after installing from the update site, with TensorFlow 1.15's
 * {@code libtensorflow} jar on Fiji's class path, the bridge alone in {@code plugins/}, and everything
 * else of Decrappify in its engine folder. A macro restores an image through the menu command, and both
 * TensorFlow versions' classes are checked to be the right ones on each side.
 *
 * <p>The control run puts the same jars on one flat class path (TensorFlow 1 first, as an unlucky jar
 * order in {@code Fiji.app/jars} would): restoring then fails, which shows that the isolation is what
 * makes the first run work.
 */
class TensorFlowIsolationTest {

    @TempDir
    static Path shared;

    static Path bundle;
    static Path tf1Jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        tf1Jar = Path.of(System.getProperty("decrappify.fixtures", "target/fixtures"), "libtensorflow-1.15.0.jar");
        assertTrue(Files.isRegularFile(tf1Jar), "the build copies " + tf1Jar + " (pom: tf1-fixture)");
        bundle = TestBundles.create(shared, "unet-x2", 2);
    }

    /** Fiji's own jars: ImageJ 1, SciJava, ImgLib2 (and the headless patcher the tests need). */
    static boolean fijiJar(String name) {
        return Stream.of("ij-", "scijava-common-", "parsington-", "imglib2-", "ij1-patcher-", "javassist-")
                .anyMatch(name::startsWith);
    }

    static List<Path> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> entries = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            entries.add(Path.of(e));
        }
        return entries;
    }

    /** {@code plugins/}-style folder with the bridge classes and plugins.config only. */
    static Path bridgeOnly(Path target) throws IOException {
        Path classes = testClassPath().stream().filter(p -> p.endsWith("classes") && !p.endsWith("test-classes"))
                .findFirst().orElseThrow();
        Path from = classes.resolve("io/github/decrappify/fiji/ij1");
        Path to = Files.createDirectories(target.resolve("io/github/decrappify/fiji/ij1"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        Files.copy(classes.resolve("plugins.config"), target.resolve("plugins.config"));
        return target;
    }

    static void writeLr(Path file) {
        ShortProcessor sp = new ShortProcessor(64, 64);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                sp.set(x, y, 400 + 20 * x + 9 * y + (x * y) % 37);
            }
        }
        IJ.saveAsTiff(new ImagePlus("lr", sp), file.toString());
    }

    Path macro(Path lr, Path out) throws IOException {
        Path macro = dir.resolve("clash.ijm");
        Files.writeString(macro, String.join("\n",
                "print(\"fiji sees \" + call(\"io.github.decrappify.fiji.ij1.ClashProbe.fiji\"));",
                "setBatchMode(true);",
                "open(\"" + lr + "\");",
                "run(\"Decrappify Restore...\", \"model=[" + bundle + "] device=cpu\");",
                "saveAs(\"Tiff\", \"" + out + "\");",
                "print(\"engine sees \" + call(\"io.github.decrappify.fiji.ij1.ClashProbe.engine\"));",
                "print(\"tf1 shape \" + call(\"io.github.decrappify.fiji.ij1.ClashProbe.tf1Shape\"));", ""));
        return macro;
    }

    @Test
    void decrappifyAndTensorFlow1PluginsWorkInOneJvm() throws Exception {
        List<Path> fiji = new ArrayList<>(List.of(tf1Jar));
        List<Path> engine = new ArrayList<>();
        for (Path p : testClassPath()) {
            String name = p.getFileName().toString();
            if (fijiJar(name) || p.endsWith("test-classes")) {
                fiji.add(p);
            } else if (!p.endsWith("classes") && !name.startsWith("junit-") && !name.startsWith("opentest4j")
                    && !name.startsWith("apiguardian")) {
                engine.add(p);
            }
        }
        fiji.add(bridgeOnly(dir.resolve("bridge")));
        engine.add(0, testClassPath().stream().filter(p -> p.endsWith("classes") && !p.endsWith("test-classes"))
                .findFirst().orElseThrow());
        Path lr = dir.resolve("lr.tif");
        Path out = dir.resolve("restored.tif");
        writeLr(lr);
        MacroHarness ij = new MacroHarness(dir);
        MacroHarness.Result r = ij.run(macro(lr, out), "", fiji,
                Map.of(Engines.ENGINE_PROPERTY, join(engine)));
        assertTrue(r.completed(), r::toString);
        assertTrue(r.lines().contains("fiji sees class from libtensorflow-1.15.0.jar"), r::toString);
        assertTrue(r.lines().contains("engine sees interface from tensorflow-api-0.36.0.jar"), r::toString);
        assertTrue(r.lines().contains("tf1 shape [2, 3]"), r::toString);
        ImagePlus restored = IJ.openImage(out.toString());
        assertEquals(128, restored.getWidth());
        assertTrue(restored.getInfoProperty().contains("model unet-x2"), restored.getInfoProperty());
    }

    @Test
    void withoutIsolationTheTensorFlow1ClassesBreakRestoring() throws Exception {
        List<Path> flat = new ArrayList<>(List.of(tf1Jar));
        for (Path p : testClassPath()) {
            String name = p.getFileName().toString();
            if (!name.startsWith("junit-") && !name.startsWith("opentest4j") && !name.startsWith("apiguardian")) {
                flat.add(p);
            }
        }
        Path lr = dir.resolve("lr.tif");
        Path out = dir.resolve("restored.tif");
        writeLr(lr);
        MacroHarness ij = new MacroHarness(dir);
        MacroHarness.Result r = ij.run(macro(lr, out), "", flat, Map.of());
        assertFalse(r.completed(), r::toString);
        assertTrue(r.lines().contains("fiji sees class from libtensorflow-1.15.0.jar"), r::toString);
        // TensorFlow 1's org.tensorflow classes shadow TensorFlow 2's, whose natives then fail to load.
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("Decrappify: TensorFlow 2.16.1 failed to load")),
                r::toString);
        assertFalse(Files.exists(out));
    }

    private static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }
}
