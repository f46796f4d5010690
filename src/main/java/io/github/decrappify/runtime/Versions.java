package io.github.decrappify.runtime;

import io.github.decrappify.model.Caches;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Version of this build, from a Maven-filtered resource, so it is known in development builds run from
 * {@code target/classes} too (a jar manifest exists only after packaging). Recorded in model provenance.
 */
public final class Versions {

    private static final String DECRAPPIFY = load();

    private Versions() {}

    /** This project's version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} if the resource is missing. */
    public static String decrappify() {
        return DECRAPPIFY;
    }

    /** The TensorFlow runtime version the natives provide. */
    public static String tensorflow() {
        return Caches.TENSORFLOW_VERSION;
    }

    private static String load() {
        try (InputStream in = Versions.class.getResourceAsStream("/io/github/decrappify/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "").strip();
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // Fall through: provenance says "unknown" rather than failing a training run.
        }
        return "unknown";
    }
}
