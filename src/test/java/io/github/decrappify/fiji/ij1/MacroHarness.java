package io.github.decrappify.fiji.ij1;

import ij.plugin.frame.Recorder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;

/**
 * Runs ImageJ macros headless in a JVM of their own, set up as a Fiji installation would be: a
 * {@code plugins/} folder holding a plugin jar with Decrappify's {@code plugins.config} (so ImageJ 1 builds
 * the Plugins › Decrappify menu from it, exactly as at Fiji start-up), the user model store in
 * {@code $DECRAPPIFY_MODELS}, and the real ImageJ macro interpreter ({@link MacroRunnerMain}).
 */
public final class MacroHarness {

    /** The macros shipped with Decrappify (run from the project folder, as Maven does). */
    public static final Path MACROS = Path.of("macros");

    private final Path work;
    private final Path plugins;
    private final Path models;

    /** Prepares {@code work/plugins} and {@code work/user-models}. */
    public MacroHarness(Path work) throws IOException {
        this.work = work;
        this.plugins = Files.createDirectories(work.resolve("plugins"));
        this.models = Files.createDirectories(work.resolve("user-models"));
        writePluginJar(plugins.resolve("Decrappify_-test.jar"));
    }

    /** The user model store the macros see. */
    public Path models() {
        return models;
    }

    /** What a run printed (the ImageJ Log, headless, is standard output) and whether it completed. */
    public record Result(int exit, List<String> lines) {
        public boolean completed() {
            return exit == 0 && lines.contains("MACRO COMPLETED");
        }

        /** Lines starting with {@code prefix}. */
        public List<String> starting(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + ":\n" + String.join("\n", lines);
        }
    }

    /** Runs {@code macro} with argument {@code arg}; {@code jvm} adds JVM options (e.g. {@code -Xmx96m}). */
    public Result run(Path macro, String arg, String... jvm) throws Exception {
        return run(macro, arg, Map.of(), jvm);
    }

    public Result run(Path macro, String arg, Map<String, String> systemProperties, String... jvm) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return run(macro, arg, classpath, systemProperties, jvm);
    }

    /** Runs {@code macro} in a JVM with the given class path (the "Fiji" class path) and system properties. */
    public Result run(Path macro, String arg, List<Path> classpath, Map<String, String> systemProperties, String... jvm)
            throws Exception {
        return run(macro, arg, String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()),
                systemProperties, jvm);
    }

    private Result run(Path macro, String arg, String classpath, Map<String, String> systemProperties, String... jvm)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Dplugins.dir=" + work.toAbsolutePath(),
                // Short-lived JVMs: start fast (the heavy lifting is TensorFlow's, in native code).
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of(jvm));
        cmd.addAll(List.of("-cp", classpath, MacroRunnerMain.class.getName(), macro.toAbsolutePath().toString(), arg));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("macro.log").toFile());
        pb.environment().put("DECRAPPIFY_MODELS", models.toAbsolutePath().toString());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("macro " + macro + " did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), Files.readAllLines(work.resolve("macro.log")));
    }

    /**
     * The option string ImageJ's Recorder records when the dialog of {@code command} is confirmed with
     * {@code dialog}'s values (the other parameters at their defaults), as {@link CommandPlugIn} records it.
     * An image parameter is recorded by title unless it is ImageJ's current image.
     */
    public static String recordedOptions(Class<? extends Command> command, Map<String, Object> dialog) throws Exception {
        CommandInfo info = new CommandInfo(command);
        List<ModuleItem<?>> items = MacroOptions.userInputs(info.inputs());
        Module module = info.createModule();
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (ModuleItem<?> item : items) {
            defaults.put(item.getName(), module.getInput(item.getName()));
        }
        Map<String, Object> values = new LinkedHashMap<>(defaults);
        for (String key : dialog.keySet()) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException(command.getSimpleName() + " has no parameter " + key);
            }
            values.put(key, dialog.get(key));
        }
        Recorder.resetCommandOptions();
        CommandRunner.record(items, values, defaults);
        return Recorder.getCommandOptions();
    }

    /** A jar with nothing but {@code plugins.config}: the classes come from the class path, as in Fiji. */
    private static void writePluginJar(Path jar) throws IOException {
        try (InputStream config = MacroHarness.class.getResourceAsStream("/plugins.config");
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            if (config == null) {
                throw new IOException("plugins.config is not on the class path");
            }
            out.putNextEntry(new JarEntry("plugins.config"));
            config.transferTo(out);
            out.closeEntry();
        }
    }
}
