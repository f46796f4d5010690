package io.github.decrappify.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.restore.RestoreListener;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.tile.FakeModels;
import io.github.decrappify.tile.TileModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Block-wise restoration into OME-Zarr equals the plane-by-plane {@link Restorer} bit for bit (a
 * pure-Java model with a receptive field, windowed "attention" and bilinear upsampling, so any error
 * in halos, blending, shared chunks or mirroring shows), resumes after a failure without redoing
 * finished work, and handles existing outputs as the TIFF path does.
 */
class VolumeRestoreTest {

    @TempDir
    Path dir;

    static final StackShape SHAPE = new StackShape(101, 77, 2, 3, 1, 16);
    static final Calibration CAL = new Calibration(0.02, 0.03, 0.1, "micron", 0, "sec");

    static TileModel model() {
        return new FakeModels.Conv(3, 2, 16, 1, FakeModels.Upscale.BILINEAR, 16);
    }

    static RestoreSettings settings(TileModel m) {
        return RestoreSettings.defaults(m.scale()).withTiling(32, 8).withFrames(m.inputChannels(),
                io.github.decrappify.model.BundleSpec.FrameAxis.Z);
    }

    private void assertEqualsReference(Map<String, FloatPlane> expected, Path out, StackShape shape, int scale)
            throws BadInputException {
        for (int c = 0; c < shape.channels(); c++) {
            for (int z = 0; z < shape.slices(); z++) {
                for (int t = 0; t < shape.frames(); t++) {
                    FloatPlane e = expected.get(Volumes.key(c, z, t));
                    FloatPlane a = Volumes.plane(out, c, z, t);
                    assertEquals(shape.width() * scale, a.width());
                    assertArrayEquals(e.data(), a.data(), "plane c" + c + " z" + z + " t" + t);
                }
            }
        }
    }

    @Test
    void equalsPlaneByPlaneRestoreForSeveralChunkingsAndBlockSizes() throws Exception {
        Path in = Volumes.write(dir.resolve("in.ome.zarr"), SHAPE, CAL, new int[] {2, 20, 24});
        TileModel m = model();
        RestoreSettings s = settings(m);
        Map<String, FloatPlane> expected = Volumes.reference(m, s, in);
        int n = 0;
        for (VolumeOptions o : List.of(new VolumeOptions(24, 1, 1, 1), new VolumeOptions(16, 2, 2, 1),
                new VolumeOptions(64, 3, 1, 0), new VolumeOptions(0, 1, 3, 1))) {
            Path out = dir.resolve("out" + n++ + ".ome.zarr");
            new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(in, out);
            assertEqualsReference(expected, out, SHAPE, 2);
            OmeZarr img = OmeZarr.open(out);
            assertEquals(new StackShape(202, 154, 2, 3, 1, 32), img.shape());
            assertEquals(0.01, img.calibration().pixelWidth(), 1e-12, "pixel size divided by the scale");
            assertEquals(0.015, img.calibration().pixelHeight(), 1e-12);
            assertEquals(0.1, img.calibration().pixelDepth(), 1e-12);
            assertFalse(Files.exists(out.resolve(".decrappify/partials")), "partials removed when done");
            assertTrue(Files.readString(out.resolve(".decrappify/manifest.json")).contains("\"state\": \"complete\""));
        }
    }

    @Test
    void everyTileIsPredictedOnceWhateverTheBlockSize() throws Exception {
        Path in = Volumes.write(dir.resolve("in.ome.zarr"), SHAPE, CAL, new int[] {1, 77, 101});
        int tilesPerPlane = io.github.decrappify.tile.TilePlan.of(101, 77, 32, 8, 16).tiles().size();
        for (int blockTiles : new int[] {1, 2}) {
            FakeModels.Conv m = (FakeModels.Conv) model();
            new VolumeRestore(m, "fake", settings(m), new VolumeOptions(24, 1, blockTiles, 1), RestoreListener.NONE)
                    .restore(in, dir.resolve("once" + blockTiles + ".ome.zarr"));
            assertEquals(tilesPerPlane * SHAPE.planeCount(), m.calls, "predictions with blocks of " + blockTiles + " tiles");
        }
    }

    /** Float chunks are stored raw by default (zlib costs much and saves little on them), integer chunks zlib'd. */
    @Test
    void outputCompressionFollowsTheOutputTypeUnlessChosen() throws Exception {
        Path in = Volumes.write(dir.resolve("c.ome.zarr"), new StackShape(40, 30, 1, 2, 1, 16), CAL, new int[] {1, 30, 40});
        TileModel m = model();
        RestoreSettings s = settings(m);
        Path f = dir.resolve("float.ome.zarr");
        new VolumeRestore(m, "c", s, VolumeOptions.defaults(), RestoreListener.NONE).restore(in, f);
        assertEquals(io.github.decrappify.image.zarr.ZarrCompressor.NONE, OmeZarr.open(f).array().compressor());
        Path i = dir.resolve("same.ome.zarr");
        new VolumeRestore(m, "c", s.withOutType(RestoreSettings.OutType.SAME), VolumeOptions.defaults(),
                RestoreListener.NONE).restore(in, i);
        assertEquals(io.github.decrappify.image.zarr.ZarrCompressor.zlib(1), OmeZarr.open(i).array().compressor());
        Path z = dir.resolve("z5.ome.zarr");
        new VolumeRestore(m, "c", s, new VolumeOptions(0, 1, 1, 5), RestoreListener.NONE).restore(in, z);
        assertEquals(io.github.decrappify.image.zarr.ZarrCompressor.zlib(5), OmeZarr.open(z).array().compressor());
        // Same pixels whatever the storage.
        for (int zz = 0; zz < 2; zz++) {
            assertArrayEquals(Volumes.plane(f, 0, zz, 0).data(), Volumes.plane(z, 0, zz, 0).data());
        }
        assertThrows(IllegalArgumentException.class, () -> new VolumeOptions(0, 1, 1, 10));
    }

    @Test
    void multiFrameModelsAndTiffInputsGiveTheSameResult() throws Exception {
        Path in = Volumes.write(dir.resolve("in.ome.zarr"), new StackShape(70, 90, 1, 4, 1, 16), CAL, new int[] {4, 32, 32});
        TileModel m = new FakeModels.Conv(2, 2, 16, 3, FakeModels.Upscale.NEAREST, 16);
        RestoreSettings s = settings(m);
        Map<String, FloatPlane> expected = Volumes.reference(m, s, in);
        Path out = dir.resolve("mf.ome.zarr");
        new VolumeRestore(m, "fake3", s, new VolumeOptions(20, 1, 1, 1), RestoreListener.NONE).restore(in, out);
        assertEqualsReference(expected, out, new StackShape(70, 90, 1, 4, 1, 16), 2);

        // A TIFF stack (written from the OME-Zarr by the plane restorer with an identity model) feeds the block path too.
        Path tif = dir.resolve("in.tif");
        new Restorer(new FakeModels.Identity(1, 16, 1, 0), RestoreSettings.defaults(1).withTiling(0, 0))
                .restoreFile(in, tif);
        expected = Volumes.reference(m, s, tif);
        Path out2 = dir.resolve("fromtiff.ome.zarr");
        new VolumeRestore(m, "fake3", s, new VolumeOptions(20, 1, 1, 1), RestoreListener.NONE).restore(tif, out2);
        assertEqualsReference(expected, out2, new StackShape(70, 90, 1, 4, 1, 16), 2);
    }

    /** Fails on the n-th prediction, as a crash or a killed task would stop a run part way. */
    static final class FailingModel extends FakeModels.Conv {
        final int failAt;

        FailingModel(int failAt) {
            super(3, 2, 16, 1, FakeModels.Upscale.BILINEAR, 16);
            this.failAt = failAt;
        }

        @Override
        public String name() {
            return "Conv";
        }

        @Override
        public FloatPlane predict(FloatPlane in) {
            if (calls + 1 == failAt) {
                calls++;
                throw new IllegalStateException("simulated crash");
            }
            return super.predict(in);
        }
    }

    @Test
    void aRerunAfterACrashKeepsFinishedChunksAndCompletesTheSameResult() throws Exception {
        Path in = Volumes.write(dir.resolve("in.ome.zarr"), SHAPE, CAL, new int[] {1, 40, 40});
        TileModel m = model();
        RestoreSettings s = settings(m);
        Map<String, FloatPlane> expected = Volumes.reference(m, s, in);
        Path out = dir.resolve("out.ome.zarr");
        VolumeOptions o = new VolumeOptions(24, 1, 1, 1);
        assertThrows(IllegalStateException.class,
                () -> new VolumeRestore(new FailingModel(40), "fake", s, o, RestoreListener.NONE).restore(in, out));
        Map<Path, FileTime> before = chunkTimes(out);
        assertTrue(before.size() > 5, "some chunks were finished before the crash: " + before.size());
        assertTrue(Files.readString(out.resolve(".decrappify/manifest.json")).contains("\"state\": \"running\""));

        List<String> messages = new java.util.ArrayList<>();
        new VolumeRestore(m, "fake", s, o, new RestoreListener() {
            @Override
            public void message(String text) {
                messages.add(text);
            }
        }).restore(in, out);
        assertTrue(messages.stream().anyMatch(t -> t.startsWith("Resuming")), messages.toString());
        assertEqualsReference(expected, out, SHAPE, 2);
        Map<Path, FileTime> after = chunkTimes(out);
        for (Map.Entry<Path, FileTime> e : before.entrySet()) {
            assertEquals(e.getValue(), after.get(e.getKey()), "finished chunk rewritten: " + e.getKey());
        }
        com.google.gson.JsonArray runs = Manifest.read(out.resolve(".decrappify/manifest.json")).runs();
        assertEquals(2, runs.size());
        assertTrue(runs.get(0).getAsJsonObject().get("failed").getAsString().contains("simulated crash"), runs.toString());
        assertTrue(runs.get(1).getAsJsonObject().get("blocks_skipped").getAsInt() > 0, runs.toString());
        assertFalse(Files.exists(out.resolve(".decrappify/tmp")), "temporary files cleared");
        try (Stream<Path> files = Files.walk(out)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
    }

    @Test
    void aResumeRefusesAnInputChangedSinceTheRunBeganAndOverwriteRestarts() throws Exception {
        Path in = Volumes.write(dir.resolve("in.ome.zarr"), SHAPE, CAL, new int[] {1, 40, 40});
        TileModel m = model();
        RestoreSettings s = settings(m);
        Path out = dir.resolve("out.ome.zarr");
        VolumeOptions o = new VolumeOptions(24, 1, 1, 1);
        assertThrows(IllegalStateException.class,
                () -> new VolumeRestore(new FailingModel(40), "fake", s, o, RestoreListener.NONE).restore(in, out));
        Map<Path, FileTime> before = chunkTimes(out);
        assertTrue(before.size() > 5, "some chunks were finished before the crash: " + before.size());

        // The same path and shape with new data in one chunk (its time set back: only the content differs).
        io.github.decrappify.image.zarr.ZarrArray a = OmeZarr.open(in).array();
        long[] first = {0, 0, 0, 0, 0};
        Path chunk = a.chunkPath(first);
        FileTime time = Files.getLastModifiedTime(chunk);
        float[] data = a.readChunk(first);
        for (int i = 0; i < data.length; i++) {
            data[i] = 4000 - data[i];
        }
        a.writeChunk(first, data);
        Files.setLastModifiedTime(chunk, time);
        BadInputException e = assertThrows(BadInputException.class,
                () -> new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(in, out));
        assertEquals("Input " + in.toAbsolutePath() + " has changed since the unfinished restoration in "
                + out.toAbsolutePath() + " began (size, modification time or content of sampled chunks differ); its"
                + " finished blocks would mix old and new data: allow overwriting (--overwrite) to restart from scratch",
                e.getMessage());
        assertEquals(before, chunkTimes(out), "nothing written");
        assertTrue(Files.readString(out.resolve(".decrappify/manifest.json")).contains("\"state\": \"running\""));

        // Overwrite restarts from scratch: the result is the new input's, not a mix.
        Map<String, FloatPlane> expected = Volumes.reference(m, s, in);
        new VolumeRestore(m, "fake", s.withOverwrite(true), o, RestoreListener.NONE).restore(in, out);
        assertEqualsReference(expected, out, SHAPE, 2);

        // A manifest of a version that did not record the content cannot vouch for it either.
        assertThrows(IllegalStateException.class, () -> new VolumeRestore(new FailingModel(40), "fake",
                s.withOverwrite(true), o, RestoreListener.NONE).restore(in, out));
        Path manifest = out.resolve(".decrappify/manifest.json");
        com.google.gson.JsonObject json = io.github.decrappify.image.Json.read(manifest).getAsJsonObject();
        assertTrue(json.getAsJsonObject("input_content").get("sha256").getAsString().matches("[0-9a-f]{64}"));
        json.remove("input_content");
        io.github.decrappify.image.Json.writeAtomically(manifest, json);
        e = assertThrows(BadInputException.class,
                () -> new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(in, out));
        assertTrue(e.getMessage().contains("(not recorded by the version that started it)"), e.getMessage());
    }

    @Test
    void aResumeFromATiffRefusesChangedPixelsEvenWithTheSameSizeAndTime() throws Exception {
        Path zarr = Volumes.write(dir.resolve("in.ome.zarr"), SHAPE, CAL, new int[] {1, 40, 40});
        Path tif = dir.resolve("in.tif");
        new Restorer(new FakeModels.Identity(1, 16, 1, 0), RestoreSettings.defaults(1).withTiling(0, 0))
                .restoreFile(zarr, tif);
        TileModel m = model();
        RestoreSettings s = settings(m);
        Path out = dir.resolve("out.ome.zarr");
        VolumeOptions o = new VolumeOptions(24, 1, 1, 1);
        assertThrows(IllegalStateException.class,
                () -> new VolumeRestore(new FailingModel(40), "fake", s, o, RestoreListener.NONE).restore(tif, out));
        byte[] bytes = Files.readAllBytes(tif);
        FileTime time = Files.getLastModifiedTime(tif);
        bytes[bytes.length / 2] ^= 0x10; // one pixel in the middle of the planes
        Files.write(tif, bytes);
        Files.setLastModifiedTime(tif, time);
        BadInputException e = assertThrows(BadInputException.class,
                () -> new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(tif, out));
        assertTrue(e.getMessage().startsWith("Input " + tif.toAbsolutePath() + " has changed since"), e.getMessage());
        // Unchanged, it resumes.
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(tif, bytes);
        Files.setLastModifiedTime(tif, time);
        Map<String, FloatPlane> expected = Volumes.reference(m, s, tif);
        new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(tif, out);
        assertEqualsReference(expected, out, SHAPE, 2);
    }

    @Test
    void anInputInsideTheOutputIsNeverDeletedByOverwriting() throws Exception {
        Path in = Volumes.write(dir.resolve("in.ome.zarr"), new StackShape(40, 40, 1, 1, 1, 8), CAL, new int[] {1, 64, 64});
        TileModel m = model();
        RestoreSettings s = settings(m);
        Path out = dir.resolve("out.ome.zarr");
        VolumeOptions o = VolumeOptions.defaults();
        new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(in, out);
        // The input moved into the old output (or reached through a link into it), then -o that output --overwrite.
        Path moved = out.resolve("in.ome.zarr");
        Files.move(in, moved);
        BadInputException e = assertThrows(BadInputException.class,
                () -> new VolumeRestore(m, "other", s.withOverwrite(true), o, RestoreListener.NONE).restore(moved, out));
        assertEquals("Input " + moved + " is inside the output " + out + "; choose an output outside it", e.getMessage());
        Path link = Files.createSymbolicLink(dir.resolve("link.ome.zarr"), moved);
        e = assertThrows(BadInputException.class,
                () -> new VolumeRestore(m, "other", s.withOverwrite(true), o, RestoreListener.NONE).restore(link, out));
        assertTrue(e.getMessage().startsWith("Input " + link + " is inside the output"), e.getMessage());
        assertTrue(Files.isRegularFile(moved.resolve("0/.zarray")), "the input is intact");
        // An output reached through a link into the input is the input's inside too.
        Path into = Files.createSymbolicLink(dir.resolve("into"), moved);
        e = assertThrows(BadInputException.class, () -> new VolumeRestore(m, "fake", s, o, RestoreListener.NONE)
                .restore(moved, into.resolve("x.ome.zarr")));
        assertTrue(e.getMessage().contains("is (inside) the input"), e.getMessage());
    }

    @Test
    void aResumeRefusesWorkFoldersLinkedOutsideTheOutput() throws Exception {
        Path in = Volumes.write(dir.resolve("in.ome.zarr"), SHAPE, CAL, new int[] {1, 40, 40});
        TileModel m = model();
        RestoreSettings s = settings(m);
        Path out = dir.resolve("out.ome.zarr");
        VolumeOptions o = new VolumeOptions(24, 1, 1, 1);
        assertThrows(IllegalStateException.class,
                () -> new VolumeRestore(new FailingModel(40), "fake", s, o, RestoreListener.NONE).restore(in, out));
        Path partials = out.resolve(".decrappify/partials");
        Path victim = Files.createDirectories(dir.resolve("victim"));
        if (Files.exists(partials)) {
            io.github.decrappify.image.Folders.deleteTree(partials);
        }
        Files.createSymbolicLink(partials, victim);
        BadInputException e = assertThrows(BadInputException.class,
                () -> new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(in, out));
        assertTrue(e.getMessage().startsWith("Zarr path " + partials + " leads outside " + out.toRealPath()), e.getMessage());
        assertTrue(e.getMessage().endsWith("; the output cannot be resumed safely: choose another"), e.getMessage());
        try (Stream<Path> left = Files.list(victim)) {
            assertEquals(0, left.count(), "nothing written through the link");
        }

        // An edited manifest whose normalisation does not fit the input: one line, not an index error later.
        Files.delete(partials);
        Path manifest = out.resolve(".decrappify/manifest.json");
        com.google.gson.JsonObject json = io.github.decrappify.image.Json.read(manifest).getAsJsonObject();
        json.getAsJsonArray("normalisation").remove(1);
        io.github.decrappify.image.Json.writeAtomically(manifest, json);
        e = assertThrows(BadInputException.class, () -> new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(in, out));
        assertEquals(manifest.toAbsolutePath() + " is corrupt (1 normalisations for 2 channels); allow overwriting (--overwrite)"
                + " to restart", e.getMessage());
        json.getAsJsonArray("normalisation").add(json.getAsJsonArray("normalisation").get(0).deepCopy());
        json.getAsJsonArray("normalisation").get(1).getAsJsonObject().addProperty("low", "NaN");
        io.github.decrappify.image.Json.writeAtomically(manifest, json);
        e = assertThrows(BadInputException.class, () -> new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(in, out));
        assertTrue(e.getMessage().contains("is corrupt (need finite low <= high, got NaN"), e.getMessage());
    }

    private static Map<Path, FileTime> chunkTimes(Path out) throws IOException {
        Map<Path, FileTime> m = new HashMap<>();
        try (Stream<Path> files = Files.walk(out.resolve("0"))) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                m.put(p, Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    @Test
    void existingOutputsAreRefusedSkippedOrReplacedAsAsked() throws Exception {
        Path in = Volumes.write(dir.resolve("in.ome.zarr"), new StackShape(40, 40, 1, 1, 1, 8), CAL, new int[] {1, 64, 64});
        TileModel m = model();
        RestoreSettings s = settings(m);
        Path out = dir.resolve("out.ome.zarr");
        VolumeOptions o = VolumeOptions.defaults();
        assertEquals(Restorer.Outcome.RESTORED, new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(in, out));
        BadInputException e = assertThrows(BadInputException.class,
                () -> new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(in, out));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(Restorer.Outcome.SKIPPED,
                new VolumeRestore(m, "fake", s.withSkipExisting(true), o, RestoreListener.NONE).restore(in, out));
        e = assertThrows(BadInputException.class,
                () -> new VolumeRestore(m, "other", s.withSkipExisting(true), o, RestoreListener.NONE).restore(in, out));
        assertTrue(e.getMessage().contains("other inputs or settings"), e.getMessage());
        assertEquals(Restorer.Outcome.RESTORED,
                new VolumeRestore(m, "other", s.withOverwrite(true), o, RestoreListener.NONE).restore(in, out));

        Path notZarr = Files.createDirectories(dir.resolve("photos.zarr"));
        Files.writeString(notZarr.resolve("keep.txt"), "precious");
        e = assertThrows(BadInputException.class,
                () -> new VolumeRestore(m, "fake", s.withOverwrite(true), o, RestoreListener.NONE).restore(in, notZarr));
        assertTrue(e.getMessage().contains("not an OME-Zarr"), e.getMessage());
        assertTrue(Files.exists(notZarr.resolve("keep.txt")));

        e = assertThrows(BadInputException.class, () -> new VolumeRestore(m, "fake", s, new VolumeOptions(25, 1, 1, 1),
                RestoreListener.NONE).restore(in, dir.resolve("odd.ome.zarr")));
        assertTrue(e.getMessage().contains("multiple of the model's scale"), e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> new VolumeRestore(m, "fake", s, o, RestoreListener.NONE).restore(in, in));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
    }
}
