package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.testutil.Blobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: an option value the command cannot use is a bad command line (exit 2, one line naming the
 * option), found before any work, like a parse error; never an overflow or a failure after training started.
 */
class BadOptionValuesTest {

    @TempDir
    Path tmp;

    private static void assertBadOption(Cli.Result r, String command, String message) {
        assertEquals(2, r.code(), () -> "exit code; stderr: " + r.err());
        assertEquals("decrappify " + command + ": error: " + message + " (see 'decrappify " + command + " --help')",
                r.err().strip());
    }

    @Test
    void restoreOptionsOutOfRange() throws Exception {
        Path in = tmp.resolve("in.tif");
        Blobs.write(in, 64, 1);
        String out = tmp.resolve("out.tif").toString();
        List<String> base = List.of("restore", "-m", "em-x4-unet-s", "-i", in.toString(), "-o", out);
        assertBadOption(run(base, "--tile", "-64"), "restore", "--tile must be from 0 to 65536, not -64");
        assertBadOption(run(base, "--tile", "2147483585"), "restore", "--tile must be from 0 to 65536, not 2147483585");
        assertBadOption(run(base, "--overlap", "2147483647"), "restore", "--overlap must be from 0 to 4096, not 2147483647");
        assertBadOption(run(base, "--out-type", "int64"), "restore", "--out-type must be float or same, not int64");
        assertBadOption(run(base, "--device", "tpu"), "restore", "--device: Unknown device 'tpu': use auto, cpu or gpu.");
        List<String> zarr = List.of("restore", "-m", "em-x4-unet-s", "-i", in.toString(), "-o",
                tmp.resolve("o.ome.zarr").toString());
        assertBadOption(run(zarr, "--chunk-z", "-1"), "restore", "--chunk-z must be from 1 to 65536, not -1");
        assertFalse(Files.exists(Path.of(out)) || Files.exists(tmp.resolve("o.ome.zarr")), "nothing written");
    }

    @Test
    void trainingOptionsAreCheckedBeforeTraining() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        Blobs.write(hr.resolve("a.tif"), 128, 1);
        Blobs.write(hr.resolve("b.tif"), 128, 2);
        Path bundle = tmp.resolve("m-x2");
        List<String> base = List.of("train", "-o", bundle.toString(), "--hr", hr.toString(), "--scale", "2", "--steps", "2",
                "--val-fraction", "0.5");
        long t0 = System.nanoTime();
        assertBadOption(run(base, "--device", "cpu", "--checkpoint-every", "0"), "train",
                "checkpoint interval must be >= 1, validation interval and warm-up >= 0; got 0, 500, 0"); // warm-up capped at a tenth of --steps 2
        assertBadOption(run(base, "--device", "cpu", "--patch", "0"), "train", "patch size (LR) must be at least 8, not 0");
        assertBadOption(run(base, "--device", "tpu"), "train", "--device: Unknown device 'tpu': use auto, cpu or gpu.");
        assertTrue(System.nanoTime() - t0 < 30e9, "refused up front, not after training");
        assertFalse(Files.exists(tmp.resolve("m-x2.work")), "no run started");
    }

    private static Cli.Result run(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return Cli.run(all.toArray(String[]::new));
    }
}
