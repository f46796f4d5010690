package io.github.decrappify.fiji;

import io.github.decrappify.model.Caches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.model.SafeZip;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.runtime.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Esc (or a SciJava cancel) during a folder run: finished images stay, the one in progress leaves nothing. */
class FolderCancelTest {

    @TempDir
    Path dir;

    @Test
    void cancelDuringTheSecondImageKeepsTheFirstAndLeavesNoPartialFile() throws Exception {
        Path bundle = TinyBundles.write(dir, "tiny-x2", 2);
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        for (String name : List.of("a", "b", "c")) {
            RestoreFolderCommandTest.writeImage(in.resolve(name + ".tif"), 96, 80, 100 * name.charAt(0));
        }
        int[] image = {0};
        int[] tilesOfSecond = {0};
        RestoreProgress progress = new RestoreProgress() {
            @Override
            public void message(String text) {
                if (text.startsWith("Image ")) {
                    image[0]++;
                }
            }

            @Override
            public void tile(int done, int total) {
                if (image[0] == 2) {
                    tilesOfSecond[0]++;
                }
            }

            @Override
            public boolean cancelRequested() {
                return image[0] == 2 && tilesOfSecond[0] >= 2; // in the middle of b.tif
            }
        };
        ModelStore store = new ModelStore(dir.resolve("store"), null, Caches.root(), SafeZip.DEFAULT);
        RestoreRequest smallTiles = new RestoreRequest(32, 8, RestoreSettings.OutType.FLOAT, false, false);
        assertThrows(CancellationException.class, () -> new ImageRestorer(store).restoreFolder(in, out, bundle.toString(),
                smallTiles, false, null, Device.CPU, progress));
        ImagePlus a = IJ.openImage(out.resolve("a.tif").toString());
        assertEquals(192, a.getWidth(), "the finished image is kept, complete");
        assertFalse(Files.exists(out.resolve("b.tif")));
        assertFalse(Files.exists(out.resolve("c.tif")));
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(out.resolve("a.tif")), left.toList(), "no partial file of b.tif");
        }
        // Running again with "skip" finishes the job without redoing a.tif.
        long aTime = Files.getLastModifiedTime(out.resolve("a.tif")).toMillis();
        var report = new ImageRestorer(store).restoreFolder(in, out, bundle.toString(),
                new RestoreRequest(32, 8, RestoreSettings.OutType.FLOAT, false, true), false, null, Device.CPU, new RestoreProgress() {});
        assertEquals(2, report.restored());
        assertEquals(1, report.skipped());
        assertEquals(aTime, Files.getLastModifiedTime(out.resolve("a.tif")).toMillis());
        assertTrue(Files.exists(out.resolve("c.tif")));
    }
}
