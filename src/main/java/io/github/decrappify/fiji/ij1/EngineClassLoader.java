package io.github.decrappify.fiji.ij1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader that keeps Decrappify's TensorFlow 2 / DJL classes apart from whatever else Fiji
 * has on its one flat class path (CSBDeep and other plugins ship TensorFlow 1.x Java classes under the
 * same package {@code org.tensorflow}, and Fiji its own protobuf, SnakeYAML and Gson versions).
 *
 * <p>It reads the jars of one engine folder (in Fiji {@code lib/decrappify/}: Decrappify's own jar and
 * its DJL, TensorFlow, JavaCPP, protobuf, SnakeYAML, picocli, SLF4J jars) <em>child first</em>: a
 * class found there is defined here even if Fiji has one of the same name. Only the packages whose types
 * cross the boundary between Fiji and the commands are taken from the parent: the JDK, ImageJ 1
 * ({@code ij.*}: images, macros, the status bar), SciJava ({@code org.scijava.*}: the context, log and
 * status services, the command API) and ImgLib2. This is the scheme JDLL uses for its engines folder.
 *
 * <p>Native libraries can be loaded by one class loader per JVM only, so there is one engine loader
 * per folder and JVM ({@link Engines}); TensorFlow 2's natives ({@code libtensorflow_framework.so.2},
 * {@code libtensorflow_cc.so.2}, {@code libjnitensorflow.so}) have other names than TensorFlow 1's
 * ({@code libtensorflow_jni.so}, {@code libtensorflow_framework.so.1}).
 */
final class EngineClassLoader extends URLClassLoader {

    /** Packages always taken from the parent: their types are shared with Fiji. */
    static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "org.w3c.", "org.xml.",
            "ij.", "org.scijava.", "net.imglib2.");

    static {
        registerAsParallelCapable();
    }

    EngineClassLoader(List<Path> entries, ClassLoader parent) {
        super("decrappify-engine", urls(entries), parent);
    }

    /** All {@code *.jar} files of {@code folder}, sorted by name (so the class path is reproducible). */
    static List<Path> jarsIn(Path folder) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.jar")) {
            stream.forEach(jars::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the Decrappify engine folder " + folder, e);
        }
        Collections.sort(jars);
        return jars;
    }

    static boolean shared(String name) {
        for (String prefix : SHARED) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (shared(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /** Resources (service files, native libraries, the SciJava plugin index) come from the engine first. */
    @Override
    public URL getResource(String name) {
        URL url = findResource(name);
        return url != null ? url : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        if (shared(name.replace('/', '.'))) {
            all.addAll(Collections.list(getParent().getResources(name)));
        }
        return Collections.enumeration(all);
    }

    private static URL[] urls(List<Path> entries) {
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = entries.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad engine class path entry " + entries.get(i), e);
            }
        }
        return urls;
    }
}
