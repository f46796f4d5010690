package io.github.decrappify.fiji.ij1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.cli.Main;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update-site layout {@code mvn package} writes ({@code target/fiji/}), installed into a fresh
 * Fiji.app whose {@code jars/} hold what Fiji shares with Decrappify (ImageJ 1, SciJava, ImgLib2): a
 * SciJava context on exactly {@code jars/} + {@code plugins/} finds every Decrappify command and
 * restores an {@code ImagePlus} through {@code CommandService}, pixel for pixel as the CLI does.
 * Runs after {@code package} (failsafe).
 */
class FijiLayoutIT {

    static final Path LAYOUT = Path.of("target/fiji").toAbsolutePath();

    @TempDir
    Path dir;

    /** Each platform's natives in its Updater folder, none in the shared engine folder. */
    @Test
    void theNativesOfEveryPublishedPlatformArePackagedInItsOwnFolder() throws Exception {
        for (io.github.decrappify.runtime.NativePlatform p : io.github.decrappify.runtime.NativePlatform.ALL) {
            Path jar = LAYOUT.resolve("lib/" + p.fiji() + "/decrappify/tensorflow-core-native-1.0.0-rc.1-" + p.classifier() + ".jar");
            assertTrue(Files.isRegularFile(jar), jar + " is missing");
            try (JarFile j = new JarFile(jar.toFile())) {
                assertTrue(j.getEntry(p.resourceDir() + p.jni()) != null, jar + " lacks " + p.resourceDir() + p.jni());
            }
        }
        try (Stream<Path> s = Files.list(LAYOUT.resolve("lib/decrappify"))) {
            assertEquals(List.of(), s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("tensorflow-core-native")).toList());
        }
    }

    @Test
    void sciJavaOnFijisClassPathFindsEveryCommandAndRestoresLikeTheCli() throws Exception {
        Path pluginJar;
        try (Stream<Path> s = Files.list(LAYOUT.resolve("plugins"))) {
            pluginJar = s.filter(p -> p.getFileName().toString().startsWith("Decrappify_-")).findFirst().orElseThrow();
        }
        try (JarFile jar = new JarFile(pluginJar.toFile())) {
            String index = new String(jar.getInputStream(jar.getEntry("META-INF/json/org.scijava.plugin.Plugin")).readAllBytes());
            assertEquals("{\"class\":\"io.github.decrappify.fiji.ij1.EngineCommands\",\"values\":{\"type\":\"org.scijava.service.Service\"}}",
                    index);
        }
        Path fiji = Files.createDirectories(dir.resolve("Fiji.app"));
        Path jars = Files.createDirectories(fiji.resolve("jars"));
        for (String prefix : List.of("ij-", "scijava-common-", "parsington-", "imglib2-")) {
            Path jar = PlainImageJTest.jar(prefix);
            Files.copy(jar, jars.resolve(jar.getFileName()));
        }
        Path plugins = Files.createDirectories(fiji.resolve("plugins"));
        Files.copy(pluginJar, plugins.resolve(pluginJar.getFileName()));
        Files.createSymbolicLink(fiji.resolve("lib"), LAYOUT.resolve("lib"));
        Files.createSymbolicLink(fiji.resolve("models"), LAYOUT.resolve("models"));
        // The launcher class alone, so that nothing else of the build is on the class path.
        Path launcher = Files.createDirectories(dir.resolve("launcher/io/github/decrappify/fiji/ij1"));
        Files.copy(PlainImageJTest.testClasses().resolve("io/github/decrappify/fiji/ij1/FijiContextMain.class"),
                launcher.resolve("FijiContextMain.class"));

        ImagePlus sample = IJ.openImage("test-data/em_lr_stack2_s00.tif");
        sample.setRoi(40, 40, 96, 96);
        Path lr = dir.resolve("lr.tif");
        IJ.saveAsTiff(sample.crop(), lr.toString());

        List<String> cp = new ArrayList<>();
        try (Stream<Path> s = Stream.concat(Files.list(jars), Files.list(plugins))) {
            s.sorted().forEach(p -> cp.add(p.toString()));
        }
        cp.add(dir.resolve("launcher").toString());
        Path fijiOut = dir.resolve("fiji.tif");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dij.dir=" + fiji, "-cp", String.join(File.pathSeparator, cp), FijiContextMain.class.getName(),
                lr.toString(), fijiOut.toString(), "em-x4-unet-s").redirectErrorStream(true)
                .redirectOutput(dir.resolve("fiji.log").toFile());
        pb.environment().put("DECRAPPIFY_MODELS", dir.resolve("user-models").toString());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the Fiji JVM did not finish in 5 minutes");
        String log = Files.readString(dir.resolve("fiji.log"));
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("COMMANDS " + String.join(",", EngineCommands.commandClasses().stream().sorted().toList())),
                log);
        assertTrue(log.contains("RESTORED lr.tif restored by em-x4-unet-s"), log);

        Path cliOut = dir.resolve("cli.tif");
        assertEquals(0, Main.run("restore", "-m", LAYOUT.resolve("models/decrappify/em-x4-unet-s").toString(), "-i",
                lr.toString(), "-o", cliOut.toString(), "--device", "cpu"));
        ImagePlus fromFiji = IJ.openImage(fijiOut.toString());
        ImagePlus fromCli = IJ.openImage(cliOut.toString());
        assertEquals(fromCli.getWidth(), fromFiji.getWidth());
        assertEquals(384, fromFiji.getWidth());
        assertArrayEquals((float[]) fromCli.getProcessor().getPixels(), (float[]) fromFiji.getProcessor().getPixels(),
                "Fiji's CommandService and the CLI restore the same pixels");
    }
}
