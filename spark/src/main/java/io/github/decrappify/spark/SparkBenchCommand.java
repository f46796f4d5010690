package io.github.decrappify.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.decrappify.cli.TileOptions;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.ImageSources;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.Json;
import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.image.zarr.ZarrArray;
import io.github.decrappify.image.zarr.ZarrCompressor;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.restore.RestoreListener;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.volume.VolumeOptions;
import io.github.decrappify.volume.VolumeRestore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spark-bench}: the same synthetic EM-like volume restored by the single-process paths
 * ({@code restore} to TIFF, plane by plane; {@code restore} to OME-Zarr, block by block) and by Spark
 * in {@code local[1]} and {@code local[2]}, with throughput, Spark's overhead and the cost per block
 * (the figure a cluster estimate scales up). Models are loaded before timing starts, in every case.
 */
@Command(name = "spark-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark: single-process restore vs Spark local[1] and local[2] on a synthetic volume.",
                "Run it on an otherwise idle machine; timings of busy machines mean little."})
public final class SparkBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, defaultValue = "em-x4-unet-s", description = "Model (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--size", defaultValue = "1024", paramLabel = "N", description = "LR plane width and height (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--slices", defaultValue = "8", paramLabel = "N", description = "Planes (default ${DEFAULT-VALUE}).")
    int slices;

    @Mixin
    TileOptions tiling;

    @Option(names = "--runs", defaultValue = "restore,zarr,local[1],local[2]", split = ",",
            description = "What to time, in order (default ${DEFAULT-VALUE}).")
    List<String> runs;

    @Option(names = "--work", defaultValue = ".bench/spark", paramLabel = "DIR", description = "Scratch folder (default ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "auto|fp32|bf16",
            description = {"Number format of inference in every run (default ${DEFAULT-VALUE}), as restore's and"
                    + " spark-restore's --precision; the report names the one used and why."})
    String precision;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "User model store.")
    Path modelsDir;

    @Override
    public Integer call() throws Exception {
        Device dev = io.github.decrappify.cli.BadOptionException.device(device);
        Precision prec = io.github.decrappify.cli.BadOptionException.precision(precision);
        ModelBundle bundle = SparkRestoreCommand.store(modelsDir).resolve(model);
        RestoreSettings settings = new RestoreRequest(tiling.tile(), tiling.overlap(), RestoreSettings.OutType.FLOAT, true, false)
                .settingsFor(bundle.spec());
        Files.createDirectories(work);
        Path input = work.resolve("synthetic_" + size + "x" + size + "x" + slices + ".ome.zarr");
        if (!OmeZarr.isZarr(input)) {
            writeSynthetic(input, size, slices);
        }
        long lrPixels = (long) size * size * slices;
        int scale = bundle.spec().scale();
        JsonObject report = new JsonObject();
        report.addProperty("model", bundle.spec().name());
        report.addProperty("input_lr", size + "x" + size + "x" + slices);
        report.addProperty("tile", settings.tile());
        report.addProperty("cores", Runtime.getRuntime().availableProcessors());
        JsonArray results = new JsonArray();
        double baseline = Double.NaN;
        String sha = bundle.spec().artifacts().weights().sha256();
        ModelSource source = new BundleModelSource(bundle.directory().toAbsolutePath().toString(), device, sha, precision);
        try (BundleModel m = BundleModel.load(bundle, dev, prec)) {
            report.addProperty("device", m.device());
            // Spark's executors resolve the same option on the same machine, so they run in this precision too.
            report.addProperty("precision", m.precision().precision().label());
            report.addProperty("precision_reason", m.precision().reason());
            if (!json) {
                spec.commandLine().getOut().println("model " + bundle.spec().name() + ", " + m.device() + ", precision "
                        + m.precision());
            }
            warmUp(m);
            for (String run : runs) {
                JsonObject r = new JsonObject();
                r.addProperty("run", run);
                double seconds;
                Path out;
                if (run.equals("restore")) {
                    out = work.resolve("out_restore.tif");
                    long t0 = System.nanoTime();
                    try (ImageStackSource src = ImageSources.open(input)) {
                        new Restorer(m, settings).restore(src, out);
                    }
                    seconds = (System.nanoTime() - t0) / 1e9;
                } else if (run.equals("zarr")) {
                    out = work.resolve("out_zarr.ome.zarr");
                    long t0 = System.nanoTime();
                    new VolumeRestore(m, sha, settings, VolumeOptions.defaults(), RestoreListener.NONE).restore(input, out);
                    seconds = (System.nanoTime() - t0) / 1e9;
                    addBlockCost(r, out);
                } else if (run.startsWith("local[") || run.startsWith("spark://")) {
                    out = work.resolve("out_" + run.replaceAll("[^A-Za-z0-9]", "_") + ".ome.zarr");
                    SparkConf conf = new SparkConf().setMaster(run).setAppName("decrappify spark-bench")
                            .set("spark.ui.enabled", "false");
                    long t0 = System.nanoTime();
                    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                        warmUp(ExecutorModels.get(source)); // loaded and run once, as in the single-process runs
                        sc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> x + 1).count(); // Spark's own first-job costs
                        double start = (System.nanoTime() - t0) / 1e9;
                        r.addProperty("spark_start_seconds", start);
                        long t1 = System.nanoTime();
                        SparkRestore.run(sc, input, out, source, settings, VolumeOptions.defaults(), 0, RestoreListener.NONE);
                        seconds = (System.nanoTime() - t1) / 1e9;
                    }
                    addBlockCost(r, out);
                } else {
                    throw new IllegalArgumentException("unknown run '" + run + "': use restore, zarr or a Spark master such as local[2]");
                }
                if (run.equals("restore")) {
                    baseline = seconds;
                }
                r.addProperty("seconds", seconds);
                r.addProperty("lr_mpix_per_s", lrPixels / seconds / 1e6);
                r.addProperty("out_mpix_per_s", lrPixels * scale * scale / seconds / 1e6);
                if (!Double.isNaN(baseline)) {
                    r.addProperty("time_vs_restore", seconds / baseline);
                }
                results.add(r);
                if (!json) {
                    spec.commandLine().getOut().println(line(r));
                    spec.commandLine().getOut().flush();
                }
            }
        }
        report.add("results", results);
        if (json) {
            spec.commandLine().getOut().println(Json.pretty(report));
        }
        return 0;
    }

    /** One prediction of a tile-sized input, so that no timed run pays for TensorFlow's first-call setup. */
    private void warmUp(io.github.decrappify.tile.TileModel m) {
        int n = Math.min(size, 256) / m.sizeMultiple() * m.sizeMultiple();
        n = Math.max(n, m.sizeMultiple());
        m.predict(io.github.decrappify.image.FloatPlane.zeros(n, n, m.inputChannels()));
    }

    private static String line(JsonObject r) {
        return String.format(Locale.ROOT, "%-10s %8.2f s  %7.3f LR MPix/s  %7.2f out MPix/s%s%s", r.get("run").getAsString(),
                r.get("seconds").getAsDouble(), r.get("lr_mpix_per_s").getAsDouble(), r.get("out_mpix_per_s").getAsDouble(),
                r.has("time_vs_restore") ? String.format(Locale.ROOT, "  x%.2f of restore", r.get("time_vs_restore").getAsDouble()) : "",
                r.has("block_seconds_median") ? String.format(Locale.ROOT, "  block median %.3f s (%d blocks)",
                        r.get("block_seconds_median").getAsDouble(), r.get("blocks").getAsInt()) : "");
    }

    /** Median seconds per block and block count, from the run's manifest. */
    private static void addBlockCost(JsonObject r, Path out) throws java.io.IOException {
        JsonArray runs = Json.read(out.resolve(".decrappify/manifest.json")).getAsJsonObject().getAsJsonArray("runs");
        JsonObject last = runs.get(runs.size() - 1).getAsJsonObject();
        if (last.has("block_seconds")) {
            r.addProperty("block_seconds_median", last.getAsJsonObject("block_seconds").get("median").getAsDouble());
        }
        r.addProperty("blocks", last.get("blocks_restored").getAsInt());
    }

    /** An EM-like uint8 volume: membranes (dark ridges of a smooth random field) over a textured background, with noise. */
    static void writeSynthetic(Path dir, int size, int slices) throws java.io.IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".writing");
        if (Files.exists(tmp)) {
            try (var walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        int chunk = Math.min(256, size);
        OmeZarr img = OmeZarr.create(tmp, new StackShape(size, size, 1, slices, 1, 8),
                new Calibration(16, 16, 50, "nm", 0, "sec"), new int[] {1, chunk, chunk}, ZarrCompressor.zlib(1),
                "synthetic EM", null);
        ZarrArray a = img.array();
        Random rng = new Random(42);
        double[][] waves = new double[24][4];
        for (double[] w : waves) {
            w[0] = rng.nextGaussian() * 0.05;
            w[1] = rng.nextGaussian() * 0.05;
            w[2] = rng.nextGaussian() * 0.05;
            w[3] = rng.nextDouble() * 2 * Math.PI;
        }
        long[] grid = a.chunkGrid();
        for (int z = 0; z < slices; z++) {
            for (int cy = 0; cy < grid[3]; cy++) {
                for (int cx = 0; cx < grid[4]; cx++) {
                    float[] data = new float[chunk * chunk];
                    for (int y = 0; y < chunk; y++) {
                        for (int x = 0; x < chunk; x++) {
                            int X = cx * chunk + x;
                            int Y = cy * chunk + y;
                            if (X >= size || Y >= size) {
                                continue;
                            }
                            double f = 0;
                            for (double[] w : waves) {
                                f += Math.sin(w[0] * X + w[1] * Y + w[2] * z + w[3]);
                            }
                            double membrane = Math.exp(-f * f * 4);
                            double v = 150 - 90 * membrane + 12 * Math.sin(X * 0.9 + Y * 0.7) + rng.nextGaussian() * 10;
                            data[y * chunk + x] = (float) Math.max(0, Math.min(255, v));
                        }
                    }
                    a.writeChunk(new long[] {0, 0, z, cy, cx}, data);
                }
            }
        }
        Files.move(tmp, dir);
    }
}
