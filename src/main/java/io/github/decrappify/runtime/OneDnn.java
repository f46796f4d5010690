package io.github.decrappify.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Turns on TensorFlow's oneDNN kernels on every x86 CPU. TF 2.16 enables them by default only on CPUs
 * with AVX-512 VNNI/BF16 or AMX; on AVX2-only CPUs (e.g. AMD EPYC Zen 3) it falls back to Eigen
 * convolutions, measured 25–35 % slower for unet-s inference there. TF reads the switch with
 * {@code getenv}, so it must be in the C environment before the natives load; Java cannot set its own
 * environment, hence libc's {@code setenv} through JNA (a DJL dependency, also shipped by Fiji).
 * A value the user set ({@code TF_ENABLE_ONEDNN_OPTS=0}) is respected.
 */
final class OneDnn {

    static final String VARIABLE = "TF_ENABLE_ONEDNN_OPTS";

    private OneDnn() {}

    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /** @return whether oneDNN will be on: the user's setting if any, else true when setenv worked. */
    static boolean enableUnlessSet() {
        String user = System.getenv(VARIABLE);
        if (user != null) {
            return !user.strip().equals("0") && !user.strip().equalsIgnoreCase("false");
        }
        try {
            LibC c = Native.load("c", LibC.class);
            return c.setenv(VARIABLE, "1", 0) == 0;
        } catch (LinkageError | RuntimeException e) {
            // No libc through JNA (unusual platform): TensorFlow keeps its own default.
            return false;
        }
    }
}
