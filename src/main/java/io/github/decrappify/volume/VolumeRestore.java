package io.github.decrappify.volume;

import com.google.gson.JsonObject;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.restore.RestoreListener;
import io.github.decrappify.restore.RestoreSession;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.tile.TileModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * Restores a stack into an OME-Zarr on this machine, block by block, in bounded memory: one block's
 * input window and output (plus its partials) at a time, whatever the size of the volume. The result
 * equals {@link Restorer}'s plane-by-plane result (same tile plan, same blending, same normalisation;
 * see {@link BlockPlan}). An interrupted run resumes where it stopped when started again with the same
 * arguments. The same tasks run on a cluster through the Spark module.
 *
 * <pre>{@code
 * new VolumeRestore(model, weightsSha256, settings, VolumeOptions.defaults(), listener)
 *         .restore(Path.of("em.ome.zarr"), Path.of("em_x4.ome.zarr"));
 * }</pre>
 */
public final class VolumeRestore {

    private final TileModel model;
    private final String modelId;
    private final RestoreSettings settings;
    private final VolumeOptions options;
    private final RestoreListener listener;

    public VolumeRestore(TileModel model, String modelId, RestoreSettings settings, VolumeOptions options,
            RestoreListener listener) {
        this.model = model;
        this.modelId = modelId;
        this.settings = settings;
        this.options = options;
        this.listener = listener;
    }

    /** The OME-Zarr restoration of a loaded {@link RestoreSession}: its model, weights and settings. */
    public VolumeRestore(RestoreSession session, VolumeOptions options, RestoreListener listener) {
        this(session.model(), session.weightsId(), session.settings(), options, listener);
    }

    /**
     * @throws BadInputException with a one-line reason (bad input, unusable output, non-finite pixels)
     * @throws IOException on an unexpected I/O failure; finished chunks stay, a rerun resumes
     */
    public Restorer.Outcome restore(Path input, Path output) throws BadInputException, IOException {
        long t0 = System.nanoTime();
        VolumeJob job = VolumeJob.prepare(input, output, model, modelId, settings, options, (in, src, lo, hi) -> {
            listener.message("Measuring intensities of " + in.getFileName());
            return VolumeJob.localPercentiles(in, src, lo, hi);
        }, listener);
        if (job.skipped()) {
            return Restorer.Outcome.SKIPPED;
        }
        VolumeLayout layout = job.layout();
        double[] seconds = new double[(int) Math.min(layout.blockTaskCount(), 1 << 20)];
        long[] counts = new long[3]; // blocks restored, blocks skipped, chunks merged
        try (ImageStackSource source = VolumeJob.openSource(job.input())) {
            runTasks(job, source, seconds, counts);
        } catch (BadInputException | IOException | RuntimeException e) {
            // Finished chunks stay; the manifest says what failed, a rerun of the same command resumes.
            JsonObject failed = new JsonObject();
            failed.addProperty("engine", "local");
            failed.addProperty("finished", Instant.now().toString());
            failed.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
            failed.addProperty("blocks_restored", counts[0]);
            failed.addProperty("failed", String.valueOf(e.getMessage()));
            job.record(failed, false);
            throw e;
        }
        int restored = (int) counts[0];
        int skippedBlocks = (int) counts[1];
        int merged = (int) counts[2];
        long merges = layout.mergeTaskCount();
        JsonObject run = new JsonObject();
        run.addProperty("engine", "local");
        run.addProperty("finished", Instant.now().toString());
        run.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
        run.addProperty("blocks_restored", restored);
        run.addProperty("blocks_skipped", skippedBlocks);
        run.addProperty("shared_chunks_merged", merged);
        run.addProperty("shared_chunks_skipped", merges - merged);
        addBlockSeconds(run, Arrays.copyOf(seconds, (int) Math.min(restored, seconds.length)));
        job.record(run, true);
        listener.message(String.format(java.util.Locale.ROOT, "Wrote %s (%d blocks restored, %d already done; %d shared chunks merged)",
                job.output(), restored, skippedBlocks, merged));
        return Restorer.Outcome.RESTORED;
    }

    private void runTasks(VolumeJob job, ImageStackSource source, double[] seconds, long[] counts)
            throws BadInputException, IOException {
        VolumeLayout layout = job.layout();
        long blocks = layout.blockTaskCount();
        long merges = layout.mergeTaskCount();
        BlockRestorer worker = new BlockRestorer(model, settings, layout, job.normalisations(), source,
                job.outputArray(), job.partials());
        long total = blocks + merges;
        for (long i = 0; i < blocks; i++) {
            BlockRestorer.Result r = worker.restore(layout.blockTask(i));
            if (r.skipped()) {
                counts[1]++;
            } else {
                if (counts[0] < seconds.length) {
                    seconds[(int) counts[0]] = r.nanos() / 1e9;
                }
                counts[0]++;
            }
            progress(i + 1, total);
        }
        for (long i = 0; i < merges; i++) {
            if (worker.merge(layout.mergeTask(i))) {
                counts[2]++;
            }
            progress(blocks + i + 1, total);
        }
    }

    /** About twenty progress lines per run: blocks first, then shared chunks. */
    private void progress(long done, long total) {
        long step = Math.max(1, total / 20);
        if (done == total || done % step == 0) {
            listener.message(String.format(java.util.Locale.ROOT, "tasks %d/%d (%.0f%%)", done, total, 100.0 * done / total));
        }
    }

    /** Adds min/median/max seconds per restored block to a run record. */
    public static void addBlockSeconds(JsonObject run, double[] seconds) {
        if (seconds.length == 0) {
            return;
        }
        double[] s = seconds.clone();
        Arrays.sort(s);
        JsonObject o = new JsonObject();
        o.addProperty("min", s[0]);
        o.addProperty("median", s[s.length / 2]);
        o.addProperty("max", s[s.length - 1]);
        o.addProperty("sum", Arrays.stream(s).sum());
        run.add("block_seconds", o);
    }
}
