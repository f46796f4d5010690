package io.github.decrappify.runtime;

import io.github.decrappify.model.Caches;
import io.github.decrappify.image.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.net.JarURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Makes the TensorFlow native libraries usable without any network access.
 *
 * <p>The natives arrive through Maven inside {@code tensorflow-core-native} (CPU) or DJL's CUDA native jar
 * (GPU build profile). DJL would otherwise try to download them, so we extract them once into a
 * per-version cache folder and point DJL and JavaCPP at it. Extraction writes {@code .part} files and
 * renames them, so a killed process never leaves a truncated library behind.
 *
 * <p>Call {@link #prepare(Device)} before the first use of any TensorFlow class.
 */
public final class TensorFlowNatives {

    /** The Linux libraries (CPU and GPU jars); other platforms' jars are extracted whole (Windows has ~40 DLLs). */
    static final List<String> LIBRARIES =
            List.of("libtensorflow_framework.so.2", "libtensorflow_cc.so.2", "libjnitensorflow.so");

    private static final String GPU_RESOURCE_DIR = "native/lib/";

    private static Prepared prepared;
    private static boolean oneDnn;

    private TensorFlowNatives() {}

    /** What {@link #prepare(Device)} chose: the folder holding the natives and their flavour. */
    public record Prepared(Path directory, boolean gpuFlavour) {}

    /**
     * Extracts (first time only) and registers the natives. Idempotent; the first call decides the
     * flavour for the life of the JVM because native libraries cannot be unloaded.
     *
     * @throws RuntimeUnavailableException if no usable natives are on the class path for this platform
     */
    public static synchronized Prepared prepare(Device requested) throws RuntimeUnavailableException {
        if (prepared != null) {
            return prepared;
        }
        System.setProperty("ai.djl.offline", "true");
        // DJL must use the TensorFlow engine even when other engines are on the class path.
        System.setProperty("ai.djl.default_engine", "TensorFlow");
        String override = System.getenv("TENSORFLOW_LIBRARY_PATH");
        if (override != null && Files.isRegularFile(Paths.get(override, System.mapLibraryName("jnitensorflow")))) {
            prepared = register(Paths.get(override), false);
            return prepared;
        }
        NativePlatform platform = NativePlatform.current();
        boolean linux = platform.equals(NativePlatform.LINUX_X86_64);
        // CUDA builds exist for Linux only.
        boolean wantGpu = linux && requested != Device.CPU && GpuProbe.cudaDriverPresent()
                && resource(GPU_RESOURCE_DIR + "libjnitensorflow.so") != null;
        if (requested == Device.GPU && !wantGpu) {
            throw new RuntimeUnavailableException(GpuProbe.whyNoGpu(resource(GPU_RESOURCE_DIR + "libjnitensorflow.so") != null));
        }
        String resourceDir = wantGpu ? GPU_RESOURCE_DIR : platform.resourceDir();
        URL jni = resource(resourceDir + (wantGpu ? "libjnitensorflow.so" : platform.jni()));
        if (jni == null) {
            throw new RuntimeUnavailableException("TensorFlow natives not found on the class path (missing "
                    + resourceDir + platform.jni() + " from org.tensorflow:tensorflow-core-native:1.0.0-rc.1:"
                    + platform.classifier() + "). In Fiji, reinstall Decrappify (its natives lie in lib/" + platform.fiji()
                    + "/decrappify/); for the command line, rebuild with 'mvn package'; or set TENSORFLOW_LIBRARY_PATH.");
        }
        Path dir = Caches.root().resolve("tensorflow-" + Caches.TENSORFLOW_VERSION + (wantGpu ? "-cu121" : "-cpu") + "-" + platform.classifier());
        try {
            extract(resourceDir, linux ? LIBRARIES : listed(jni, resourceDir), dir);
        } catch (IOException e) {
            throw new RuntimeUnavailableException("Cannot extract TensorFlow natives to " + dir + ": " + e.getMessage()
                    + ". Set DECRAPPIFY_CACHE to a writable folder.", e);
        }
        prepared = register(dir, wantGpu);
        return prepared;
    }

    /** Whether TensorFlow's oneDNN CPU kernels are on (decided by {@link #prepare}; see {@link OneDnn}). */
    public static synchronized boolean oneDnnEnabled() {
        return oneDnn;
    }

    private static Prepared register(Path dir, boolean gpu) {
        oneDnn = OneDnn.enableUnlessSet();
        String path = dir.toAbsolutePath().toString();
        System.setProperty("TENSORFLOW_LIBRARY_PATH", path);
        System.setProperty("org.bytedeco.javacpp.platform.preloadpath", path);
        // JavaCPP's physical-memory guard misfires with TensorFlow's allocator; DJL disables it too.
        System.setProperty("org.bytedeco.javacpp.maxBytes", "0");
        System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        return new Prepared(dir, gpu);
    }

    private static URL resource(String name) {
        return TensorFlowNatives.class.getClassLoader().getResource(name);
    }

    /** The files directly in {@code resourceDir} of the jar (or folder) that holds {@code probe}. */
    static List<String> listed(URL probe, String resourceDir) throws IOException {
        List<String> names = new ArrayList<>();
        if (probe.openConnection() instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            try (JarFile file = jar.getJarFile()) {
                file.stream().map(JarEntry::getName)
                        .filter(n -> n.startsWith(resourceDir) && !n.endsWith("/") && n.indexOf('/', resourceDir.length()) < 0)
                        .map(n -> n.substring(resourceDir.length())).sorted().forEach(names::add);
            }
        } else {
            try (var files = Files.list(Paths.get(URI.create(probe.toString())).getParent())) {
                files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().forEach(names::add);
            } catch (IllegalArgumentException e) {
                throw new IOException("cannot list the TensorFlow natives at " + probe, e);
            }
        }
        return names;
    }

    private static void extract(String resourceDir, List<String> libraries, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String lib : libraries) {
            Path target = dir.resolve(lib);
            URL url = resource(resourceDir + lib);
            if (url == null) {
                throw new IOException("class path lacks " + resourceDir + lib);
            }
            long expected = url.openConnection().getContentLengthLong();
            if (Files.isRegularFile(target) && (expected < 0 || Files.size(target) == expected)) {
                continue;
            }
            AtomicFiles.write(target, part -> {
                try (InputStream in = url.openStream()) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                }
            });
        }
    }
}
