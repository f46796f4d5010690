package io.github.decrappify.bench;

import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Child process of the bench: restores {@code args[1]} into {@code args[2]} with model {@code args[0]}
 * inside a deliberately small heap and prints {@code peak_heap_bytes=N} (sum of the heap pools' peaks).
 */
public final class HeapProbe {
    private HeapProbe() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        ModelBundle bundle = ModelStore.standard(null).resolve(args[0]);
        try (BundleModel m = BundleModel.load(bundle, Device.CPU)) {
            new Restorer(m, RestoreRequest.defaults().settingsFor(bundle.spec())).restoreFile(Path.of(args[1]), Path.of(args[2]));
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("peak_heap_bytes=" + peak);
        System.out.println("max_heap_bytes=" + Runtime.getRuntime().maxMemory());
    }
}
