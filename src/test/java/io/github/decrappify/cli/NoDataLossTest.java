package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.testutil.Blobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, data loss: no command deletes or replaces a user's files unless told to, and then only what it
 * wrote itself (a bundle, a table); every refusal comes before any work, with one line on stderr.
 */
class NoDataLossTest {

    @TempDir
    Path tmp;

    private Path hr() throws Exception {
        Path hr = Files.createDirectories(tmp.resolve("hr"));
        for (int i = 0; i < 2; i++) {
            Blobs.write(hr.resolve("img" + i + ".tif"), 128, 10 + i);
        }
        return hr;
    }

    private static CliTest.Run train(Path out, Path hr, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "-o", out.toString(), "--hr", hr.toString(),
                "--scale", "2", "--preset", "fluo", "--steps", "2", "--patch", "16", "--batch", "2", "--warmup", "1",
                "--val-fraction", "0.5", "--device", "cpu"));
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(String[]::new));
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertOneLineError(CliTest.Run r, String command, String fragment) {
        assertEquals(1, r.code(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("decrappify " + command + ": error: "), err);
        assertTrue(err.contains(fragment), err);
    }

    @Test
    void trainNeverDeletesAFolderOfImagesEvenWithOverwrite() throws Exception {
        Path hr = hr();
        Path v = Files.createDirectories(tmp.resolve("v"));
        Files.copy(hr.resolve("img0.tif"), v.resolve("img0.tif"));
        Files.writeString(v.resolve("notes.txt"), "x\n");
        CliTest.Run r = train(v, hr);
        assertOneLineError(r, "train", "already exists; choose another name or allow overwriting (--overwrite)");
        r = train(v, hr, "--overwrite");
        assertOneLineError(r, "train", "is not a model bundle (no rdf.yaml)");
        assertEquals(List.of("img0.tif", "notes.txt"), listing(v));
        assertEquals("x\n", Files.readString(v.resolve("notes.txt")));
        assertFalse(Files.exists(tmp.resolve("v.work")), "refused before training");
    }

    @Test
    void aFinishedTrainingIsNotReplacedWithoutOverwrite() throws Exception {
        Path hr = hr();
        Path out = tmp.resolve("m-x2");
        CliTest.Run r = train(out, hr);
        assertEquals(0, r.code(), r.err());
        byte[] rdf = Files.readAllBytes(out.resolve("rdf.yaml"));
        byte[] checkpoint = Files.readAllBytes(tmp.resolve("m-x2.work/checkpoint.bin"));

        r = train(out, hr, "--seed", "7");
        assertOneLineError(r, "train", "output " + out + " already exists");
        assertArrayEquals(rdf, Files.readAllBytes(out.resolve("rdf.yaml")));
        assertArrayEquals(checkpoint, Files.readAllBytes(tmp.resolve("m-x2.work/checkpoint.bin")));

        // The bundle moved away, the checkpoint is still an earlier run's: not started over silently either.
        Files.move(out, tmp.resolve("kept-x2"));
        r = train(out, hr, "--seed", "7");
        assertOneLineError(r, "train", "holds the checkpoint of an earlier run; continue it with --resume, or start"
                + " again with --overwrite");
        assertArrayEquals(checkpoint, Files.readAllBytes(tmp.resolve("m-x2.work/checkpoint.bin")));

        Files.move(tmp.resolve("kept-x2"), out);
        r = train(out, hr, "--seed", "7", "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertFalse(java.util.Arrays.equals(rdf, Files.readAllBytes(out.resolve("rdf.yaml"))), "replaced when asked");
    }

    @Test
    void theWorkFolderMayNotLieInsideTheBundle() throws Exception {
        Path hr = hr();
        Path out = tmp.resolve("w-x2");
        CliTest.Run r = train(out, hr, "--work", out.resolve("work").toString());
        assertOneLineError(r, "train", "must not be the output bundle");
        assertFalse(Files.exists(out));
    }
}
