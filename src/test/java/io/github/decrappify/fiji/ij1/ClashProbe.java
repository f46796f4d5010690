package io.github.decrappify.fiji.ij1;

import java.lang.reflect.Method;
import java.security.CodeSource;

/**
 * Called from macros ({@code call("io.github.decrappify.fiji.ij1.ClashProbe.fiji")}) in the class
 * isolation test: which {@code org.tensorflow} classes Fiji's class path sees, which ones the Decrappify
 * engine sees, and whether the TensorFlow 1 classes still work after Decrappify ran.
 */
public final class ClashProbe {

    private ClashProbe() {
    }

    /** {@code org.tensorflow.Tensor} as the plugin class path (ImageJ's class loader) resolves it. */
    public static String fiji() throws Exception {
        return describe(Class.forName("org.tensorflow.Tensor", false, ij.IJ.getClassLoader()));
    }

    /** {@code org.tensorflow.Tensor} as Decrappify's engine class loader resolves it. */
    public static String engine() throws Exception {
        return describe(Class.forName("org.tensorflow.Tensor", false, Engines.classLoader()));
    }

    /** TensorFlow 1's pure-Java {@code Shape.make(2, 3)}, through ImageJ's class loader. */
    public static String tf1Shape() throws Exception {
        Class<?> shape = Class.forName("org.tensorflow.Shape", true, ij.IJ.getClassLoader());
        Method make = shape.getMethod("make", long.class, long[].class);
        return String.valueOf(make.invoke(null, 2L, new long[] {3L}));
    }

    private static String describe(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        String jar = source == null ? "?" : source.getLocation().getPath().replaceAll(".*/", "");
        return (c.isInterface() ? "interface" : "class") + " from " + jar;
    }
}
