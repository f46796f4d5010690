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

    /** Issue 14: values that were taken silently (--level), failed after training (--modality) or exited 1. */
    @Test
    void otherCommandsRefuseValuesTheyCannotUse() throws Exception {
        Path hr = tmp.resolve("hr.tif");
        Blobs.write(hr, 64, 1);
        String lr = tmp.resolve("lr.tif").toString();
        assertBadOption(Cli.run("crappify", "--preset", "em", "--level", "loud", "-i", hr.toString(), "-o", lr), "crappify",
                "--level must be typical or random, not loud");
        assertFalse(Files.exists(Path.of(lr)), "it used to crappify at the typical level");

        List<String> train = List.of("train", "-o", tmp.resolve("m-x2").toString(), "--hr", hr.toString(), "--scale", "2",
                "--steps", "2", "--device", "cpu");
        assertBadOption(run(train, "--modality", "xray"), "train", "--modality must be em or fluo, not xray");
        assertBadOption(run(train, "--license", "MIT-ish"), "train", "--license: license 'MIT-ish' is not an SPDX licence"
                + " identifier; bioimage.io accepts SPDX identifiers only: for data under its own terms (e.g. research use"
                + " with citation) pick the SPDX licence that matches them, such as CC-BY-NC-4.0,"
                + " and state the terms in the data note");
        assertFalse(Files.exists(tmp.resolve("m-x2.work")), "no run started");

        List<String> finetune = List.of("finetune", "-m", "no-such-model", "--hr", hr.toString(), "-o",
                tmp.resolve("ft").toString());
        assertBadOption(run(finetune, "--feature-net", "vgg"), "finetune",
                "--feature-net: feature network must be critic, encoder or none, not 'vgg'");
        assertBadOption(run(finetune, "--drift", "sideways"), "finetune", "--drift must be correct, report or off, not sideways");
        assertBadOption(run(finetune, "--device", "tpu"), "finetune", "--device: Unknown device 'tpu': use auto, cpu or gpu.");

        Cli.Result validate = Cli.run("models", "validate", "em-x4-unet-s", "--device", "tpu");
        assertBadOption(validate, "models validate", "--device: Unknown device 'tpu': use auto, cpu or gpu.");
        assertEquals("", validate.out(), "refused before any result line");
        assertBadOption(Cli.run("bench", "--repeats", "0"), "bench", "--repeats must be from 1 to 1000, not 0");
    }

    private static Cli.Result run(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return Cli.run(all.toArray(String[]::new));
    }
}
