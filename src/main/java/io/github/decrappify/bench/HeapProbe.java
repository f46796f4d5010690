package io.github.decrappify.bench;

import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Path;

/**
 * Child process of the bench: restores {@code args[1]} into {@code args[2]} with model {@code args[0]}
 * inside a deliberately small heap and prints {@code peak_heap_bytes=N}, the largest heap use sampled every 5 ms.
 */
public final class HeapProbe {
    private HeapProbe() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        ModelBundle bundle = ModelStore.standard(null).resolve(args[0]);
        // Sampled total heap in use (pool peaks cannot be added: they happen at different times).
        AtomicLong peak = new AtomicLong();
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        try (BundleModel m = BundleModel.load(bundle, Device.CPU)) {
            new Restorer(m, RestoreRequest.defaults().settingsFor(bundle.spec())).restoreFile(Path.of(args[1]), Path.of(args[2]));
        }
        sampler.interrupt();
        System.out.println("peak_heap_bytes=" + peak.get());
        System.out.println("max_heap_bytes=" + Runtime.getRuntime().maxMemory());
    }
}
