package io.github.decrappify.bench;

import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Percentiles;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.qc.DataConsistency;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.train.nogan.BaseModel;
import io.github.decrappify.tile.TiledPredictor;
import io.github.decrappify.train.Batch;
import io.github.decrappify.train.PatchSampler;
import io.github.decrappify.train.PixelLoss;
import io.github.decrappify.train.TrainGraph;
import io.github.decrappify.train.TrainingPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The measurements behind the README's performance figures, each a median over repeats: time to first
 * result (in this JVM, and cold in fresh JVMs split into runtime load, model load and first run),
 * whole-image vs tiled inference throughput, end-to-end stack restore throughput (also with TTA and
 * the QC map), peak heap of a stack restore in a small heap, and training steps/s of unet-s ×4.
 */
public final class Benchmarks {

    private final ModelBundle bundle;
    private final BenchInput input;
    private final Path work;
    private final int repeats;
    private final Consumer<String> log;
    private final Precision precision;
    private final int threads;

    /** In the precision {@code restore} uses by default ({@code auto}), on all cores. */
    public Benchmarks(ModelBundle bundle, Path shared, Path work, int repeats, Consumer<String> log) {
        this(bundle, shared, work, repeats, log, Precision.AUTO, 0);
    }

    /**
     * @param precision inference precision as {@code restore --precision} (training stays fp32)
     * @param threads   intra-op threads of training (0 = all cores); inference and the matrix-multiply
     *                  peak take theirs from DJL's {@code ai.djl.tensorflow.num_intraop_threads}, which
     *                  {@code bench --threads} sets
     */
    public Benchmarks(ModelBundle bundle, Path shared, Path work, int repeats, Consumer<String> log, Precision precision,
            int threads) {
        this.bundle = bundle;
        this.input = BenchInput.load(shared);
        this.work = work;
        this.repeats = Math.max(1, repeats);
        this.log = log;
        this.precision = precision;
        this.threads = threads;
    }

    /** Side of the square matrices of the matrix-multiply peak (2·2048³ = 17 GFLOP a product). */
    static final int PEAK_MATMUL = 2048;

    /** Parts of the benchmark, selectable with {@code bench --only}. */
    public enum Part { INFER, TILES, HALO, STACK, CHECKS, COLD, HEAP, TRAIN }

    /** Runs everything (the small-heap probe only if asked); keys are stable names for JSON. */
    public Map<String, Object> run(boolean includeHeap) throws Exception {
        EnumSet<Part> parts = EnumSet.allOf(Part.class);
        if (!includeHeap) {
            parts.remove(Part.HEAP);
        }
        return run(parts);
    }

    /** Runs the given parts; keys are stable names for JSON, values numbers or strings. */
    public Map<String, Object> run(Set<Part> parts) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("input", input.description);
        r.put("model", bundle.spec().name() + " (x" + bundle.spec().scale() + ")");
        long t0 = System.nanoTime();
        try (BundleModel model = BundleModel.load(bundle, Device.AUTO, precision)) {
            FloatPlane lr = normalised(input.planes.get(0));
            model.predict(lr);
            r.put("time_to_first_result_s", seconds(System.nanoTime() - t0));
            r.put("device", model.device());
            r.put("precision", model.precision().precision().label());
            r.put("precision_reason", model.precision().reason());
            r.put("threads", threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            log.accept("inference in " + model.precision() + (precision == Precision.AUTO ? ", as restore by default" : ""));
            log.accept("time to first result " + r.get("time_to_first_result_s") + " s on " + model.device());
            int halo = bundle.spec().halo();
            if (parts.contains(Part.INFER)) {
                double whole = throughput(model, lr, 0, 0);
                double tiled = throughput(model, lr, 128, halo);
                r.put("infer_whole_256_mpix_s", round(whole));
                r.put("infer_tiled_128_halo_mpix_s", round(tiled));
                r.put("tiling_overhead_128_pct", round(100 * (whole / tiled - 1)));
                log.accept("1024x1024 output: whole " + round(whole) + " MPix/s, tiles of 128 + halo " + halo + ": " + round(tiled));
                r.putAll(limits(model, whole, lr.width()));
            }
            if (parts.contains(Part.TILES)) {
                // 2048x1024 LR: two tiles at the default tile size of 1024, so the default's overhead shows.
                FloatPlane big = mosaic(8, 4);
                int tile = bundle.spec().tile();
                double wholeBig = throughput(model, big, 0, 0);
                double tiledBig = throughput(model, big, tile, halo);
                r.put("infer_whole_2048x1024_mpix_s", round(wholeBig));
                r.put("infer_tiled_default_mpix_s", round(tiledBig));
                r.put("tiling_overhead_default_pct", round(100 * (wholeBig / tiledBig - 1)));
                log.accept("8192x4096 output: whole " + round(wholeBig) + " MPix/s, default tiles of " + tile + " + halo " + halo
                        + ": " + round(tiledBig));
            }
            if (parts.contains(Part.HALO)) {
                r.putAll(haloScan(model, mosaic(2, 2)));
            }
            if (parts.contains(Part.STACK)) {
                r.put("restore_stack_end_to_end_mpix_s", round(endToEnd(model, false, false)));
                log.accept("end-to-end stack restore " + r.get("restore_stack_end_to_end_mpix_s") + " output MPix/s");
            }
            if (parts.contains(Part.CHECKS)) {
                r.put("restore_stack_qc_mpix_s", round(endToEnd(model, false, true)));
                r.put("restore_stack_tta_mpix_s", round(endToEnd(model, true, false)));
                log.accept("stack restore with the QC map " + r.get("restore_stack_qc_mpix_s") + ", with TTA (8 passes) "
                        + r.get("restore_stack_tta_mpix_s") + " output MPix/s");
            }
        }
        if (parts.contains(Part.COLD)) {
            r.putAll(coldStart());
        }
        if (parts.contains(Part.HEAP)) {
            r.putAll(heap());
        }
        if (parts.contains(Part.TRAIN)) {
            r.put("train_steps_s_batch8_128hr", round(trainingSpeed(false)));
            log.accept("training " + r.get("train_steps_s_batch8_128hr") + " steps/s (batch 8, 128x128 HR, x4)");
            if (Precision.cpuHasNativeBf16()) {
                r.put("train_bf16_steps_s_batch8_128hr", round(trainingSpeed(true)));
                log.accept("training with --precision bf16 " + r.get("train_bf16_steps_s_batch8_128hr") + " steps/s");
            }
        }
        return r;
    }

    /**
     * GFLOP/s of whole-image inference (FLOPs counted from the bundle's network, {@link Flops}) and its ratio
     * to a TensorFlow fp32 matrix-multiply peak measured now on the same threads. When inference runs in bf16,
     * TensorFlow's bf16 MatMul is timed too, for information: on the AVX512_BF16 EPYC it ran below fp32's
     * (44 against 100 GFLOP/s, under load), so it is no limit to measure bf16 inference against.
     */
    private Map<String, Object> limits(BundleModel model, double wholeMpixS, int lr) {
        Map<String, Object> r = new LinkedHashMap<>();
        UNetConfig cfg;
        String source;
        try {
            cfg = BaseModel.of(bundle).config();
            source = "the bundle's network";
        } catch (Exception e) {
            cfg = UNetConfig.unetS(bundle.spec().scale(), bundle.spec().inputChannels());
            source = "unet-s defaults (" + e.getMessage() + ")";
        }
        double flopPerPixel = Flops.perOutputPixel(cfg, lr);
        double gflops = wholeMpixS * flopPerPixel / 1e3;
        boolean bf16 = model.precision().precision() == Precision.BF16;
        double peak = MatMulPeak.gflops(PEAK_MATMUL, repeats, false);
        r.put("infer_kflop_per_out_px", round(flopPerPixel / 1e3));
        r.put("infer_gflop_s", round(gflops));
        r.put("matmul_peak_fp32_gflop_s", round(peak));
        r.put("infer_vs_matmul_fp32_peak", round(gflops / peak));
        String extra = "";
        if (bf16) {
            double b = MatMulPeak.gflops(PEAK_MATMUL, repeats, true);
            r.put("matmul_bf16_gflop_s", round(b));
            extra = String.format(java.util.Locale.ROOT, " (TensorFlow's bf16 MatMul: %.1f)", b);
        }
        log.accept(String.format(java.util.Locale.ROOT, "inference in %s: %.1f GFLOP/s (%.2f kFLOP per output pixel, from %s);"
                + " MatMul %d² fp32 peak on the same threads %.1f GFLOP/s%s: inference at %.0f %% of it",
                model.precision().precision().label(), gflops, flopPerPixel / 1e3, source, PEAK_MATMUL, peak, extra,
                100 * gflops / peak));
        return r;
    }

    private double throughput(BundleModel model, FloatPlane lr, int tile, int halo) {
        TiledPredictor p = new TiledPredictor(model, tile, halo);
        warmUp(() -> p.predict(lr));
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long s = System.nanoTime();
            p.predict(lr);
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        double outPix = (double) lr.width() * lr.height() * model.scale() * model.scale();
        return outPix / median(t) / 1e6;
    }

    /** Seconds of repeated calls before timing: TF on oneDNN needs ~20 calls (2 s) to reach its steady speed. */
    static final double WARM_UP_S = 3;

    /**
     * Repeats {@code call} for {@link #WARM_UP_S}: oneDNN's primitive and memory caches fill over the
     * first calls (the 1024² ×4 restore took 168 ms a call over the first 10, 100 ms from the 20th on,
     * 2026-12-03), and a stack restore runs at the steady speed, not at the first calls'.
     */
    private static void warmUp(Runnable call) {
        long end = System.nanoTime() + (long) (WARM_UP_S * 1e9);
        do {
            call.run();
        } while (System.nanoTime() < end);
    }

    /**
     * Max |tiled − whole| / output range for tiles of 128 LR px with overlaps 8…64: the smallest overlap
     * under 1e-3 is the halo a bundle should default to (design.md › Self-attention must not break tiling).
     */
    public static Map<String, Object> haloScan(io.github.decrappify.tile.TileModel model, FloatPlane lr) {
        Map<String, Object> r = new LinkedHashMap<>();
        FloatPlane whole = new TiledPredictor(model, 0, 0).predict(lr);
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : whole.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        int needed = -1;
        for (int overlap : new int[] {8, 16, 32, 64}) {
            FloatPlane tiled = new TiledPredictor(model, 128, overlap).predict(lr);
            double max = 0;
            for (int i = 0; i < whole.data().length; i++) {
                max = Math.max(max, Math.abs(whole.data()[i] - tiled.data()[i]));
            }
            double rel = max / (hi - lo);
            r.put("tile128_overlap" + overlap + "_max_rel_diff", rel);
            if (needed < 0 && rel < 1e-3) {
                needed = overlap;
            }
        }
        r.put("halo_needed_for_1e-3", needed);
        return r;
    }

    /**
     * Restores a 16-plane 8-bit stack file to a float TIFF: reading, percentiles, tiling, writing included;
     * optionally with test-time augmentation (4 planes: it is 8 passes each) or the QC map.
     */
    private double endToEnd(BundleModel model, boolean tta, boolean qc) throws Exception {
        int planes = tta ? 4 : 16;
        Path in = input.writeStack(work.resolve("bench-stack-" + planes + ".tif"), planes);
        Restorer restorer = new Restorer(model, RestoreRequest.defaults().settingsFor(bundle.spec()).withOverwrite(true))
                .optTta(tta).optQc(qc ? DataConsistency.of(bundle.spec()) : null);
        Path out = work.resolve("bench-stack-restored.tif");
        Path qcOut = qc ? work.resolve("bench-qc.tif") : null;
        warmUp(() -> {
            try {
                restorer.restoreFile(in, out, qcOut);
            } catch (IOException | io.github.decrappify.image.BadInputException e) {
                throw new IllegalStateException("bench stack restore failed: " + e.getMessage(), e);
            }
        });
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long s = System.nanoTime();
            restorer.restoreFile(in, work.resolve("bench-stack-restored.tif"), qc ? work.resolve("bench-qc.tif") : null);
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        double outPix = (double) planes * BenchInput.LR * BenchInput.LR * model.scale() * model.scale();
        return outPix / median(t) / 1e6;
    }

    /** Cold starts in fresh JVMs (as a user's first command): medians of runtime load, model load, first run. */
    private Map<String, Object> coldStart() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[][] t = new double[3][repeats];
        for (int i = 0; i < repeats; i++) {
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", StartupProbe.class.getName(), bundle.directory().toString());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException("start-up probe failed: " + text.strip());
            }
            String[] keys = {"runtime_s", "model_s", "first_run_s"};
            for (int k = 0; k < 3; k++) {
                t[k][i] = Double.parseDouble(text.replaceAll("(?s).*" + keys[k] + "=([0-9.]+).*", "$1"));
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cold_runtime_load_s", round(median(t[0])));
        r.put("cold_model_load_s", round(median(t[1])));
        r.put("cold_first_run_s", round(median(t[2])));
        r.put("cold_time_to_first_result_s", round(median(t[0]) + median(t[1]) + median(t[2])));
        log.accept("cold start (fresh JVM, median of " + repeats + "): runtime " + r.get("cold_runtime_load_s") + " s, model "
                + r.get("cold_model_load_s") + " s, first run " + r.get("cold_first_run_s") + " s");
        return r;
    }

    /** Restores a stack whose output is larger than the child JVM's whole heap; reports the peak heap. */
    private Map<String, Object> heap() throws Exception {
        int planes = 100;
        int xmx = 160;
        Path in = input.writeStack(work.resolve("heap-stack.tif"), planes);
        Path out = work.resolve("heap-stack-restored.tif");
        Files.deleteIfExists(out);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + xmx + "m", "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", HeapProbe.class.getName(),
                bundle.directory().toString(), in.toString(), out.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("heap probe failed: " + text.strip());
        }
        long peak = Long.parseLong(text.replaceAll("(?s).*peak_heap_bytes=(\\d+).*", "$1"));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("heap_probe_xmx_mb", xmx);
        r.put("heap_probe_output_mb", round(Files.size(out) / 1e6));
        r.put("heap_probe_peak_heap_mb", round(peak / 1e6));
        log.accept("stack of " + planes + " planes -> " + r.get("heap_probe_output_mb") + " MB output with -Xmx" + xmx
                + "m: peak heap " + r.get("heap_probe_peak_heap_mb") + " MB");
        Files.deleteIfExists(out);
        return r;
    }

    /** unet-s ×4, batch 8, 128² HR patches (32² LR) of the bench input crappified with the em preset. */
    private double trainingSpeed(boolean bf16) {
        List<TrainingPair> data = new ArrayList<>();
        for (int i = 0; i < input.planes.size(); i++) {
            data.add(new TrainingPair("bench" + i, normalised(input.planes.get(i)), null));
        }
        Crappifier c = new Crappifier(Presets.em(4));
        PatchSampler sampler = new PatchSampler(data, (hr, rng) -> c.apply(hr, rng), 4, 32, 1);
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batches.add(sampler.sample(8, new Random(i)));
        }
        try (TrainGraph g = new TrainGraph(UNetConfig.unetS(4, 1), null, 1, PixelLoss.L1, 0f, threads, false, bf16)) {
            long step = 1;
            for (int i = 0; i < 10; i++) {
                g.step(batches.get(i % batches.size()), 1e-4f, step++);
            }
            double[] rates = new double[repeats];
            for (int k = 0; k < repeats; k++) {
                long s = System.nanoTime();
                for (int i = 0; i < 20; i++) {
                    g.step(batches.get(i % batches.size()), 1e-4f, step++);
                }
                rates[k] = 20 / ((System.nanoTime() - s) / 1e9);
            }
            return median(rates);
        }
    }

    /** {@code cols × rows} bench planes side by side (an LR image of cols·256 × rows·256). */
    private FloatPlane mosaic(int cols, int rows) {
        int s = BenchInput.LR;
        float[] d = new float[cols * s * rows * s];
        for (int ty = 0; ty < rows; ty++) {
            for (int tx = 0; tx < cols; tx++) {
                FloatPlane p = normalised(input.planes.get((ty * cols + tx) % input.planes.size()));
                for (int y = 0; y < s; y++) {
                    System.arraycopy(p.data(), y * s, d, (ty * s + y) * cols * s + tx * s, s);
                }
            }
        }
        return new FloatPlane(cols * s, rows * s, d);
    }

    private static FloatPlane normalised(FloatPlane p) {
        double[] r = Percentiles.range(p.data(), Percentiles.LOW, Percentiles.HIGH);
        return Percentiles.affine(p, r[0], r[1]);
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    static double seconds(long nanos) {
        return round(nanos / 1e9);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
