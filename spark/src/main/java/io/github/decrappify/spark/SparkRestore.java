package io.github.decrappify.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.ImageSources;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.Normalisation;
import io.github.decrappify.image.StackPercentiles;
import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.image.zarr.ZarrArray;
import io.github.decrappify.restore.RestoreListener;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.tile.TileModel;
import io.github.decrappify.volume.BlockRestorer;
import io.github.decrappify.volume.Pieces;
import io.github.decrappify.volume.VolumeJob;
import io.github.decrappify.volume.VolumeLayout;
import io.github.decrappify.volume.VolumeOptions;
import io.github.decrappify.volume.VolumeRestore;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Block-wise restoration of a volume on Apache Spark: the tasks of {@link io.github.decrappify.volume}
 * (blocks with halos, then shared chunks) run as Spark tasks, each writing its output chunks straight
 * to the OME-Zarr on storage all executors share; the driver only plans, collects a few numbers per
 * partition and writes the manifest. Nothing the executors compute passes through the driver.
 *
 * <p>Three Spark jobs: normalisation percentiles (a distributed two-pass histogram, exactly the
 * single-machine percentiles), blocks, shared chunks. A failed task is retried by Spark; its blocks
 * rewrite the same chunks atomically, and blocks already done are skipped, so retries and reruns never
 * corrupt or redo finished output. The result equals {@code decrappify restore}'s.
 *
 * <pre>{@code
 * try (JavaSparkContext sc = new JavaSparkContext(conf)) {
 *     SparkRestore.Result r = SparkRestore.run(sc, in, out, new BundleModelSource(dir, "auto", sha),
 *             settings, VolumeOptions.defaults(), 0, listener);
 * }
 * }</pre>
 */
public final class SparkRestore {

    private SparkRestore() {
    }

    /** What a run did. */
    public record Result(Restorer.Outcome outcome, long blocksRestored, long blocksSkipped, long chunksMerged,
            long mergesSkipped, int retriedTasks, int modelLoads, double seconds) {
    }

    /** What one partition (task) did; small, collected by the driver. */
    public record PartitionReport(long restored, long skipped, double[] seconds, int attempt, String executor,
            String host) implements Serializable {
    }

    /**
     * @param partitions Spark partitions (tasks) per stage; 0 = 4 per default-parallelism slot, at most one per block
     * @throws BadInputException with a one-line reason for unusable inputs or outputs
     */
    public static Result run(JavaSparkContext sc, Path input, Path output, ModelSource model, RestoreSettings settings,
            VolumeOptions options, int partitions, RestoreListener listener) throws Exception {
        long t0 = System.nanoTime();
        TileModel geometry = model.geometry();
        VolumeJob job = VolumeJob.prepare(input, output, geometry, model.weightsId(), settings, options,
                (in, source, lo, hi) -> {
                    listener.message("Measuring intensities of " + in.getFileName() + " on " + sc.master());
                    return percentiles(sc, in, source, lo, hi, partitions);
                }, listener);
        if (job.skipped()) {
            return new Result(Restorer.Outcome.SKIPPED, 0, 0, 0, 0, 0, 0, (System.nanoTime() - t0) / 1e9);
        }
        VolumeJob.Spec spec = job.spec();
        VolumeLayout layout = job.layout();
        String partials = job.partials().toString();

        listener.message(String.format(Locale.ROOT, "Restoring %d blocks (%d tiles per plane) on %s",
                layout.blockTaskCount(), layout.plan().tilePlan().tiles().size(), sc.master()));
        List<PartitionReport> blocks;
        List<PartitionReport> merges;
        try {
            List<long[]> blockRanges = ranges(layout.blockTaskCount(), slices(sc, partitions, layout.blockTaskCount()));
            blocks = sc.parallelize(blockRanges, Math.max(1, blockRanges.size()))
                    .map(range -> runBlocks(spec, model, partials, range)).collect();
            listener.message(String.format(Locale.ROOT, "Merging %d shared chunks", layout.mergeTaskCount()));
            List<long[]> mergeRanges = ranges(layout.mergeTaskCount(), slices(sc, partitions, layout.mergeTaskCount()));
            merges = mergeRanges.isEmpty() ? List.of()
                    : sc.parallelize(mergeRanges, mergeRanges.size())
                            .map(range -> runMerges(spec, model, partials, range)).collect();
        } catch (Exception e) { // SparkException is checked, though Java does not see it declared
            // Finished chunks stay; the manifest says what failed, a rerun of the same command resumes.
            JsonObject failed = new JsonObject();
            failed.addProperty("engine", "spark " + sc.master());
            failed.addProperty("finished", Instant.now().toString());
            failed.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
            failed.addProperty("failed", String.valueOf(e.getMessage()).lines().findFirst().orElse("?"));
            job.record(failed, false);
            throw e;
        }

        long restored = blocks.stream().mapToLong(PartitionReport::restored).sum();
        long skipped = blocks.stream().mapToLong(PartitionReport::skipped).sum();
        long merged = merges.stream().mapToLong(PartitionReport::restored).sum();
        long mergeSkipped = merges.stream().mapToLong(PartitionReport::skipped).sum();
        int retried = (int) (blocks.stream().filter(r -> r.attempt() > 0).count()
                + merges.stream().filter(r -> r.attempt() > 0).count());
        double seconds = (System.nanoTime() - t0) / 1e9;

        JsonObject run = new JsonObject();
        run.addProperty("engine", "spark " + sc.master());
        run.addProperty("application", sc.appName() + " " + sc.sc().applicationId());
        run.addProperty("finished", Instant.now().toString());
        run.addProperty("seconds", seconds);
        run.addProperty("blocks_restored", restored);
        run.addProperty("blocks_skipped", skipped);
        run.addProperty("shared_chunks_merged", merged);
        run.addProperty("shared_chunks_skipped", mergeSkipped);
        run.addProperty("block_partitions", blocks.size());
        run.addProperty("tasks_succeeding_after_retry", retried);
        JsonArray executors = new JsonArray();
        blocks.stream().map(r -> r.executor() + "@" + r.host()).distinct().sorted().forEach(executors::add);
        run.add("executors", executors);
        VolumeRestore.addBlockSeconds(run, blocks.stream().flatMapToDouble(r -> java.util.Arrays.stream(r.seconds()))
                .toArray());
        job.record(run, true);
        listener.message(String.format(Locale.ROOT,
                "Wrote %s: %d blocks restored, %d already done, %d shared chunks merged, in %.1f s",
                job.output(), restored, skipped, merged, seconds));
        return new Result(Restorer.Outcome.RESTORED, restored, skipped, merged, mergeSkipped, retried,
                ExecutorModels.loads(), seconds);
    }

    private static int slices(JavaSparkContext sc, int partitions, long tasks) {
        long wanted = partitions > 0 ? partitions : 4L * sc.defaultParallelism();
        return (int) Math.max(0, Math.min(tasks, wanted));
    }

    /** [start, end) ranges of task indices, as even as possible; contiguous ranges keep input chunks hot. */
    static List<long[]> ranges(long count, int parts) {
        List<long[]> list = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            long start = count * p / parts;
            long end = count * (p + 1) / parts;
            if (end > start) {
                list.add(new long[] {start, end});
            }
        }
        return list;
    }

    /** Runs block tasks [range) on an executor. */
    static PartitionReport runBlocks(VolumeJob.Spec spec, ModelSource source, String partials, long[] range)
            throws Exception {
        TileModel model = ExecutorModels.get(source);
        try (ImageStackSource in = ImageSources.open(Path.of(spec.input()))) {
            VolumeLayout layout = spec.layout(in.shape(), model);
            BlockRestorer worker = new BlockRestorer(model, spec.settings(), layout, spec.normalisations(), in,
                    VolumeJob.outputArray(Path.of(spec.output())), Path.of(partials));
            long restored = 0;
            long skipped = 0;
            List<Double> seconds = new ArrayList<>();
            for (long i = range[0]; i < range[1]; i++) {
                BlockRestorer.Result r = worker.restore(layout.blockTask(i));
                if (r.skipped()) {
                    skipped++;
                } else {
                    restored++;
                    seconds.add(r.nanos() / 1e9);
                }
            }
            return report(restored, skipped, seconds);
        }
    }

    /** Runs merge tasks [range) on an executor. */
    static PartitionReport runMerges(VolumeJob.Spec spec, ModelSource source, String partials, long[] range)
            throws Exception {
        try (ImageStackSource in = ImageSources.open(Path.of(spec.input()))) {
            TileModel model = source.geometry();
            VolumeLayout layout = spec.layout(in.shape(), model);
            BlockRestorer worker = new BlockRestorer(model, spec.settings(), layout, spec.normalisations(), in,
                    VolumeJob.outputArray(Path.of(spec.output())), Path.of(partials));
            long merged = 0;
            long skipped = 0;
            for (long i = range[0]; i < range[1]; i++) {
                if (worker.merge(layout.mergeTask(i))) {
                    merged++;
                } else {
                    skipped++;
                }
            }
            return report(merged, skipped, List.of());
        }
    }

    private static PartitionReport report(long done, long skipped, List<Double> seconds) {
        TaskContext task = TaskContext.get();
        String executor = SparkEnv.get() != null ? SparkEnv.get().executorId() : "?";
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "?";
        }
        return new PartitionReport(done, skipped, seconds.stream().mapToDouble(Double::doubleValue).toArray(),
                task != null ? task.attemptNumber() : 0, executor, host);
    }

    /**
     * Per-channel percentiles as a distributed two-pass histogram over the input's chunks: the same
     * numbers the single-machine restore computes, since histograms of parts add up exactly.
     */
    static Normalisation[] percentiles(JavaSparkContext sc, Path input, ImageStackSource source, double low,
            double high, int partitions) throws BadInputException {
        Pieces pieces = Pieces.of(source);
        String path = input.toString();
        List<long[]> ranges = ranges(pieces.count(), slices(sc, partitions, pieces.count()));
        Normalisation[] n = new Normalisation[source.channels()];
        for (int c = 0; c < n.length; c++) {
            int channel = c;
            StackPercentiles.Range range = sc.parallelize(ranges, ranges.size())
                    .map(r -> rangeOf(path, pieces, channel, r)).treeReduce(StackPercentiles.Range::merge);
            StackPercentiles.Histogram histogram = sc.parallelize(ranges, ranges.size())
                    .map(r -> histogramOf(path, pieces, channel, r, range)).treeReduce(StackPercentiles.Histogram::merge);
            n[c] = new Normalisation(histogram.percentile(low), histogram.percentile(high));
        }
        return n;
    }

    private static StackPercentiles.Range rangeOf(String input, Pieces pieces, int c, long[] r) throws BadInputException {
        StackPercentiles.Range range = new StackPercentiles.Range();
        try (ImageStackSource src = ImageSources.open(Path.of(input))) {
            for (long i = r[0]; i < r[1]; i++) {
                range.accept(pieces.read(src, c, i));
            }
        }
        return range;
    }

    private static StackPercentiles.Histogram histogramOf(String input, Pieces pieces, int c, long[] r,
            StackPercentiles.Range all) throws BadInputException {
        StackPercentiles.Histogram h = new StackPercentiles.Histogram(all);
        try (ImageStackSource src = ImageSources.open(Path.of(input))) {
            for (long i = r[0]; i < r[1]; i++) {
                h.accept(pieces.read(src, c, i));
            }
        }
        return h;
    }
}
