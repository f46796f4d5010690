package io.github.decrappify.runtime;

import io.github.decrappify.model.Caches;
import java.util.List;
import java.util.Locale;

/**
 * The platforms whose TensorFlow 2.16.1 natives come from Maven ({@code org.tensorflow:tensorflow-core-native:1.0.0-rc.1}
 * with the classifier below), chosen at run time from {@code os.name} and {@code os.arch}. In Fiji each
 * platform's natives jar lies in {@code lib/<fiji platform>/decrappify/} (the ImageJ Updater installs only
 * the user's platform's {@code lib/<platform>/} files); the CLI has the build machine's on its class path.
 * No linux-arm64 build of TensorFlow 2.16.1 is published there, nor a Windows arm64 one.
 *
 * @param classifier TensorFlow Java's name: the Maven classifier and the resource folder of the libraries
 * @param fiji       the ImageJ Updater's platform name
 * @param jni        the file name of the JNI library (what {@code TENSORFLOW_LIBRARY_PATH} must hold)
 */
public record NativePlatform(String classifier, String fiji, String jni) {

    public static final NativePlatform LINUX_X86_64 = new NativePlatform("linux-x86_64", "linux64", "libjnitensorflow.so");
    public static final NativePlatform WINDOWS_X86_64 = new NativePlatform("windows-x86_64", "win64", "jnitensorflow.dll");
    public static final NativePlatform MACOS_ARM64 = new NativePlatform("macosx-arm64", "macos-arm64", "libjnitensorflow.dylib");
    public static final NativePlatform MACOS_X86_64 = new NativePlatform("macosx-x86_64", "macos64", "libjnitensorflow.dylib");

    /** Every platform whose natives the Fiji layout ships. */
    public static final List<NativePlatform> ALL = List.of(LINUX_X86_64, WINDOWS_X86_64, MACOS_ARM64, MACOS_X86_64);

    /** Where the libraries lie inside the natives jar. */
    public String resourceDir() {
        return "org/tensorflow/internal/c_api/" + classifier + "/";
    }

    /** This JVM's platform. */
    public static NativePlatform current() throws RuntimeUnavailableException {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * The platform of {@code osName}/{@code osArch} as Java reports them ("Linux"/"amd64", "Windows 11"/"amd64",
     * "Mac OS X"/"aarch64" or "x86_64").
     *
     * @throws RuntimeUnavailableException naming the platform and the supported ones
     */
    public static NativePlatform of(String osName, String osArch) throws RuntimeUnavailableException {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        NativePlatform p = null;
        if (os.startsWith("linux") && x64) {
            p = LINUX_X86_64;
        } else if (os.startsWith("windows") && x64) {
            p = WINDOWS_X86_64;
        } else if ((os.startsWith("mac") || os.startsWith("darwin")) && arm64) {
            p = MACOS_ARM64;
        } else if ((os.startsWith("mac") || os.startsWith("darwin")) && x64) {
            p = MACOS_X86_64;
        }
        if (p == null) {
            throw new RuntimeUnavailableException("TensorFlow " + Caches.TENSORFLOW_VERSION + " has no published natives for "
                    + osName + "/" + osArch + "; Decrappify runs on " + String.join(", ", ALL.stream().map(NativePlatform::classifier).toList())
                    + " (or set TENSORFLOW_LIBRARY_PATH to a folder with a TensorFlow " + Caches.TENSORFLOW_VERSION + " build"
                    + " for this machine)");
        }
        return p;
    }
}
