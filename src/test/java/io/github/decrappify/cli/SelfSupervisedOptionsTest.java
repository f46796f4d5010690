package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --self-supervised}: which options go together, refused before anything is read (exit 2, one line). */
class SelfSupervisedOptionsTest {

    @TempDir
    Path tmp;

    private Cli.Result train(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "train";
        all[1] = "-o";
        all[2] = tmp.resolve("n2v-x1").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return Cli.run(all);
    }

    private void refused(Cli.Result r, String message) {
        r.assertFailure(message);
        assertEquals(2, r.code(), r.err());
        assertEquals("decrappify train: error: " + message + " (see 'decrappify train --help')", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("n2v-x1.work")), "nothing started");
    }

    @Test
    void selfSupervisedNeedsImages() {
        refused(train("--self-supervised", "--scale", "1"),
                "--self-supervised trains on noisy images: give them with --images DIR|FILE");
    }

    @Test
    void selfSupervisedRefusesTargetsNoiseModelsAndFrames() {
        String img = tmp.resolve("noisy").toString();
        String drop = "--self-supervised trains on --images alone (no clean targets, no synthetic noise, one plane at a time,"
                + " L1 on the masked pixels): drop ";
        refused(train("--self-supervised", "--images", img, "--hr", img, "--scale", "1"), drop + "--hr");
        refused(train("--self-supervised", "--images", img, "--lr", img, "--val-hr", img, "--scale", "1"),
                drop + "--lr, --val-hr");
        refused(train("--self-supervised", "--images", img, "--preset", "fluo", "--frames", "3", "--ssim-weight", "0.1",
                "--scale", "1"), drop + "--preset, --frames, --ssim-weight");
    }

    @Test
    void selfSupervisedNeedsScaleOne() {
        refused(train("--self-supervised", "--images", tmp.toString(), "--scale", "4"),
                "--self-supervised trains denoisers: use --scale 1 (got --scale 4)");
    }

    @Test
    void selfSupervisedOptionsWithoutTheFlagAreRefused() {
        refused(train("--images", tmp.toString(), "--scale", "1"), "--images holds noisy images for --self-supervised"
                + " training; add --self-supervised, or give clean targets with --hr");
        refused(train("--hr", tmp.toString(), "-m", "base", "--scale", "1"),
                "-m BASE is for --self-supervised fine-tuning; to fine-tune on HR images use 'decrappify finetune'");
        refused(train("--hr", tmp.toString(), "--mask-fraction", "0.01", "--scale", "1"),
                "--mask-fraction is for --self-supervised training");
    }

    @Test
    void supervisedTrainingStillNeedsHr() {
        refused(train("--scale", "4"), "give training images: --hr DIR|FILE (clean targets), or --self-supervised --images"
                + " DIR|FILE (noisy images alone)");
    }
}
