package io.github.decrappify.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Cheap checks for a usable NVIDIA driver, without loading TensorFlow. */
final class GpuProbe {
    private GpuProbe() {}

    static boolean cudaDriverPresent() {
        if ("".equals(System.getenv("CUDA_VISIBLE_DEVICES")) || "-1".equals(System.getenv("CUDA_VISIBLE_DEVICES"))) {
            return false;
        }
        return Files.exists(Paths.get("/dev/nvidia0")) && libcudaPresent();
    }

    private static boolean libcudaPresent() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/local/cuda/lib64",
                "/usr/local/cuda/compat", "/usr/lib/wsl/lib"}) {
            if (Files.exists(Path.of(dir, "libcuda.so.1"))) {
                return true;
            }
        }
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String dir : ld.split(":")) {
                if (!dir.isEmpty() && Files.exists(Path.of(dir, "libcuda.so.1"))) {
                    return true;
                }
            }
        }
        return false;
    }

    static String whyNoGpu(boolean gpuNativesPresent) {
        if (!cudaDriverPresent()) {
            return "--device gpu: no NVIDIA driver found (no /dev/nvidia0 or libcuda.so.1). Use --device cpu or auto.";
        }
        return gpuNativesPresent ? "--device gpu: GPU natives present but unusable."
                : "--device gpu: this build has CPU natives only. Rebuild with 'mvn -Pgpu package' "
                        + "(adds ai.djl.tensorflow:tensorflow-native-cu121) and install CUDA 12.1 + cuDNN 8.";
    }
}
