package io.github.decrappify.fiji.ij1;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the Decrappify commands' classes come from.
 *
 * <ul>
 * <li>Fiji, installed from the update site: the engine folder {@code <Fiji.app>/lib/decrappify/} exists,
 *     and the commands run in its {@link EngineClassLoader}, isolated from other plugins' TensorFlow.</li>
 * <li>{@code -Ddecrappify.engine=PATH}: the same, over a folder of jars or a class path
 *     ({@code entry:entry:...}); the tests use it to reproduce the Fiji layout.</li>
 * <li>Otherwise (plain ImageJ with everything in {@code plugins/}, the tests, the command line): the
 *     class loader that loaded this class.</li>
 * </ul>
 * One loader per engine path and JVM, kept for the life of the JVM, because the TensorFlow natives it
 * loads cannot be loaded again by another class loader.
 */
public final class Engines {

    /** System property naming the engine folder or class path (overrides the Fiji location). */
    public static final String ENGINE_PROPERTY = "decrappify.engine";
    /** The engine folder inside Fiji.app. */
    public static final String FIJI_ENGINE_DIR = "lib/decrappify";

    private static final Map<String, ClassLoader> LOADERS = new ConcurrentHashMap<>();

    private Engines() {
    }

    /** The class loader to load command classes from (see the class comment). */
    public static ClassLoader classLoader() {
        List<Path> entries = enginePath();
        if (entries.isEmpty()) {
            return Engines.class.getClassLoader();
        }
        return LOADERS.computeIfAbsent(entries.toString(),
                k -> new EngineClassLoader(entries, Engines.class.getClassLoader()));
    }

    /** {@code true} when commands run in an isolated engine class loader. */
    public static boolean isolated() {
        return classLoader() instanceof EngineClassLoader;
    }

    /** Loads a command class by name from {@link #classLoader()}. */
    static Class<?> load(String className) throws ClassNotFoundException {
        return Class.forName(className, true, classLoader());
    }

    /** The jars (or folders) of the engine class path; empty when not isolated. */
    static List<Path> enginePath() {
        String property = System.getProperty(ENGINE_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path single = Paths.get(property);
            if (Files.isDirectory(single) && !Files.isDirectory(single.resolve("io"))) {
                return EngineClassLoader.jarsIn(single);
            }
            List<Path> entries = new ArrayList<>();
            for (String entry : property.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(Paths.get(entry));
                }
            }
            return entries;
        }
        // Fiji's launchers set ij.dir; plain ImageJ knows its folder from where ij.jar lies.
        String ijDir = System.getProperty("ij.dir");
        if (ijDir == null && System.getProperty("plugins.dir") == null) {
            ijDir = ij.IJ.getDirectory("imagej");
        }
        if (ijDir != null) {
            Path folder = Paths.get(ijDir, FIJI_ENGINE_DIR);
            if (Files.isDirectory(folder)) {
                List<Path> jars = new ArrayList<>(EngineClassLoader.jarsIn(folder));
                // This platform's TensorFlow natives: lib/<platform>/decrappify/, the Updater's per-platform folder.
                String platform = fijiPlatform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
                Path natives = Paths.get(ijDir, "lib", platform, "decrappify");
                if (Files.isDirectory(natives)) {
                    jars.addAll(EngineClassLoader.jarsIn(natives));
                }
                return jars;
            }
        }
        return List.of();
    }

    /**
     * The ImageJ Updater's name of this platform (linux64, win64, macos64, macos-arm64, ...), whose
     * {@code lib/<platform>/} files the Updater installs only there. The engine's
     * {@code io.github.decrappify.runtime.NativePlatform} names the same folders (a test keeps them equal).
     */
    static String fijiPlatform(String osName, String osArch) {
        String os = osName.toLowerCase(java.util.Locale.ROOT);
        String arch = osArch.toLowerCase(java.util.Locale.ROOT);
        String family = os.startsWith("linux") ? "linux" : os.startsWith("windows") ? "win"
                : os.startsWith("mac") || os.startsWith("darwin") ? "macos" : os.replaceAll("[^a-z0-9]", "");
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        return family + (x64 ? "64" : arm64 ? "-arm64" : "-" + arch);
    }
}
