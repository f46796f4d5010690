package io.github.decrappify.runtime;

import java.util.Locale;

/** Where inference and training run. {@code AUTO} uses a GPU when CUDA and GPU natives are usable. */
public enum Device {
    AUTO, CPU, GPU;

    /** Parses {@code auto|cpu|gpu} (case-insensitive), with an actionable message otherwise. */
    public static Device parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown device '" + text + "': use auto, cpu or gpu.");
        }
    }
}
