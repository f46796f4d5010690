package io.github.decrappify.restore;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.tile.FakeModels.Identity;
import java.nio.file.Path;

/**
 * Restores {@code args[0]} into {@code args[1]} with a fake ×2 model, in a JVM whose heap is smaller
 * than the stack ({@link BigStackTest} starts it with a small -Xmx). Exit 0 on success, 2 with the
 * reason on stderr for bad input.
 */
public final class BigStackMain {

    private BigStackMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        System.out.println("maxMemory=" + Runtime.getRuntime().maxMemory());
        RestoreSettings settings = RestoreSettings.defaults(2).withTiling(256, 16);
        try {
            long start = System.nanoTime();
            RestoreListener timing = new RestoreListener() {
                @Override
                public void message(String text) {
                    System.out.printf("%.1f s: %s%n", (System.nanoTime() - start) / 1e9, text);
                }

                @Override
                public void plane(int done, int total) {
                    if (done == 1 || done == total) {
                        message("plane " + done + " of " + total);
                    }
                }
            };
            new Restorer(new Identity(2, 64, 1, 0), settings, timing).restoreFile(Path.of(args[0]), Path.of(args[1]));
        } catch (BadInputException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
