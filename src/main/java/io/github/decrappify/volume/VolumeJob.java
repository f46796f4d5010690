package io.github.decrappify.volume;

import io.github.decrappify.image.Folders;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.Normalisation;
import io.github.decrappify.image.StackPercentiles;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.image.zarr.OmeZarrStackSource;
import io.github.decrappify.image.zarr.ZarrArray;
import io.github.decrappify.restore.OutputPolicy;
import io.github.decrappify.restore.PlaneLimits;
import io.github.decrappify.restore.Provenance;
import io.github.decrappify.restore.RestoreListener;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.tile.TileModel;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The driver's side of a block-wise restoration into OME-Zarr: checks, output creation or resumption,
 * normalisation, manifest. Whoever runs the tasks (the local loop of {@link VolumeRestore}, or Spark)
 * asks this class for the {@link VolumeLayout}, the normalisation and the paths, runs
 * {@link BlockRestorer#restore} for every block task, then {@link BlockRestorer#merge} for every merge
 * task, then calls {@link #complete}.
 *
 * <p>Rules for an existing output (decided by the {@link OutputPolicy} TIFF outputs share): a restoration with the same fingerprint that did not finish is
 * resumed (finished chunks are kept) if the input's content has not changed since it began (see
 * {@link InputFingerprint}; a changed input is refused, or restarted with {@code overwrite}); a finished
 * one is skipped with {@code skipExisting}, replaced with {@code overwrite}, refused otherwise; anything
 * else is replaced only with {@code overwrite} and only
 * if it is an OME-Zarr (a folder that is not Zarr is never deleted).
 */
public final class VolumeJob {

    /** Where the work files live inside the output: hidden from Zarr readers. */
    public static final String WORK_DIR = ".decrappify";

    /** Computes the normalisation of every channel; the default streams the input locally. */
    @FunctionalInterface
    public interface PercentileEngine {
        Normalisation[] compute(Path input, ImageStackSource source, double low, double high)
                throws BadInputException, IOException;
    }

    /** What is needed to run tasks anywhere: plain values only, so it can be shipped to other machines. */
    public record Spec(String input, String output, RestoreSettings settings, int chunkWidth, int chunkHeight,
            int chunkZ, int blockTiles, double[] low, double[] high) implements Serializable {

        /** The layout, rebuilt where the tasks run (from the input's shape and the model's geometry). */
        public VolumeLayout layout(StackShape input, TileModel model) {
            BlockPlan plan = new BlockPlan(input.width(), input.height(), model.scale(), settings.tile(),
                    settings.overlap(), model.sizeMultiple(), chunkWidth, chunkHeight, blockTiles);
            return new VolumeLayout(input, plan, chunkZ);
        }

        public Normalisation[] normalisations() {
            Normalisation[] n = new Normalisation[low.length];
            for (int c = 0; c < n.length; c++) {
                n[c] = new Normalisation(low[c], high[c]);
            }
            return n;
        }
    }

    private final Path input;
    private final Path output;
    private final VolumeLayout layout;
    private final Normalisation[] norms;
    private final Manifest manifest;
    private final boolean skipped;
    private final boolean resumed;
    private final VolumeOptions options;
    private final RestoreSettings settings;

    private VolumeJob(Path input, Path output, VolumeLayout layout, Normalisation[] norms, Manifest manifest,
            boolean skipped, boolean resumed, VolumeOptions options, RestoreSettings settings) {
        this.settings = settings;
        this.input = input;
        this.output = output;
        this.layout = layout;
        this.norms = norms;
        this.manifest = manifest;
        this.skipped = skipped;
        this.resumed = resumed;
        this.options = options;
    }

    /** Opens an input: an OME-Zarr image or Zarr array, or any file ImageJ reads. */
    public static ImageStackSource openSource(Path input) throws BadInputException {
        return io.github.decrappify.image.ImageSources.open(input);
    }

    /**
     * Prepares (or resumes) a restoration of {@code input} into the OME-Zarr {@code output}.
     *
     * @param modelId identifies the weights (e.g. their sha256); part of the fingerprint
     * @throws BadInputException with a one-line reason for unusable inputs or outputs
     */
    public static VolumeJob prepare(Path input, Path output, TileModel model, String modelId, RestoreSettings settings,
            VolumeOptions options, PercentileEngine percentiles, RestoreListener listener)
            throws BadInputException, IOException {
        Path in = input.toAbsolutePath().normalize();
        Path out = output.toAbsolutePath().normalize();
        Path inReal = real(in);
        Path outReal = real(out);
        if (in.equals(out) || inReal.equals(outReal) || (out.startsWith(in) || outReal.startsWith(inReal)) && OmeZarr.isZarr(in)) {
            throw new BadInputException("Output " + out + " is (inside) the input; choose another output");
        }
        if (in.startsWith(out) || inReal.startsWith(outReal)) {
            // Replacing or resuming that output would delete or mix with the input.
            throw new BadInputException("Input " + in + " is inside the output " + out + "; choose an output outside it");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException("Output " + out + " is a file; an OME-Zarr output is a folder (name ending .zarr)");
        }
        int chunkXy;
        try {
            chunkXy = options.chunkFor(model.scale());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        try (ImageStackSource source = openSource(in)) {
            PlaneLimits.requireLargeEnough(model, source);
            // Chunks no larger than the output (a multiple of the scale, as the output's size is).
            int cw = Math.min(chunkXy, source.width() * model.scale());
            int ch = Math.min(chunkXy, source.height() * model.scale());
            BlockPlan plan = new BlockPlan(source.width(), source.height(), model.scale(), settings.tile(),
                    settings.overlap(), model.sizeMultiple(), cw, ch, options.blockTiles());
            VolumeLayout layout = new VolumeLayout(source.shape(), plan, options.chunkZ());
            JsonObject fingerprint = fingerprint(in, source.shape(), model, modelId, settings, layout);
            JsonObject content = InputFingerprint.of(in, source);
            Path manifestFile = out.resolve(WORK_DIR).resolve("manifest.json");
            Manifest existing = Files.isDirectory(out) ? readManifest(manifestFile) : null;
            if (Files.isDirectory(out)) {
                boolean same = existing != null && existing.fingerprint().equals(fingerprint);
                if (same && !settings.overwrite()) {
                    requireNormalisations(existing, source.channels());
                }
                OutputPolicy.Existing state = !same ? OutputPolicy.Existing.DIFFERENT
                        : existing.isComplete() ? OutputPolicy.Existing.COMPLETE : OutputPolicy.Existing.UNFINISHED;
                switch (OutputPolicy.of(settings).decide(out, state,
                        existing != null ? " and was made from other inputs or settings" : "")) {
                    case SKIP -> {
                        listener.message(OutputPolicy.skipped(in, out));
                        return new VolumeJob(in, out, layout, existing.normalisations(), existing, true, false, options, settings);
                    }
                    case RESUME -> {
                        requireOwnWorkFiles(out);
                        if (!content.equals(existing.inputContent())) {
                            throw new BadInputException("Input " + in + " has changed since the unfinished restoration in "
                                    + out + " began (" + (existing.inputContent() == null ? "not recorded by the version"
                                    + " that started it" : "size, modification time or content of sampled chunks differ")
                                    + "); its finished blocks would mix old and new data: allow overwriting (--overwrite)"
                                    + " to restart from scratch");
                        }
                        listener.message("Resuming the unfinished restoration in " + out);
                        return new VolumeJob(in, out, layout, existing.normalisations(), existing, false, true, options, settings);
                    }
                    case WRITE -> {
                        // Replacing: never a folder that is not an OME-Zarr (or empty).
                        if (existing == null && !OmeZarr.isZarr(out) && !isEmptyFolder(out)) {
                            throw new BadInputException("Output " + out + " is a folder that is not an OME-Zarr; it is not "
                                    + "replaced even when overwriting: choose another output");
                        }
                    }
                }
                Folders.deleteTree(out);
            }
            Normalisation[] norms = new Normalisation[source.channels()];
            Normalisation[] computed = percentiles.compute(in, source, settings.lowPercentile(),
                    settings.highPercentile());
            System.arraycopy(computed, 0, norms, 0, norms.length);
            StackShape outShape = settings.outputShape(source.shape());
            Calibration cal = source.calibration().scaled(model.scale());
            JsonObject attrs = new JsonObject();
            JsonObject prov = fingerprint.deepCopy();
            prov.addProperty("tool", "Decrappify");
            prov.addProperty("provenance", Provenance.of(model, settings, false).describe(source.title()));
            attrs.add("decrappify", prov);
            try {
                OmeZarr.create(out, outShape, cal, new int[] {layout.chunkZ(), ch, cw},
                        options.compressorFor(outShape.bitDepth()), source.title() + " restored by " + model.name(),
                        attrs);
            } catch (IOException e) {
                throw new BadInputException("Cannot write " + out + " (" + e.getMessage() + "); choose a writable location", e);
            }
            Manifest manifest = Manifest.create(manifestFile, fingerprint, content, norms, layout);
            manifest.write();
            return new VolumeJob(in, out, layout, norms, manifest, false, false, options, settings);
        }
    }

    /** A manifest being reused holds one valid normalisation per channel (it is a file anyone may have edited). */
    private static void requireNormalisations(Manifest manifest, int channels) throws BadInputException {
        String problem;
        try {
            int n = manifest.normalisations().length;
            problem = n == channels ? null : n + " normalisations for " + channels + " channels";
        } catch (RuntimeException e) {
            problem = String.valueOf(e.getMessage());
        }
        if (problem != null) {
            throw new BadInputException(manifest.file() + " is corrupt (" + problem + "); allow overwriting (--overwrite)"
                    + " to restart");
        }
    }

    /** The real path of {@code p}, or of its nearest existing ancestor with the rest appended. */
    private static Path real(Path p) throws IOException {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? p : existing.toRealPath().resolve(existing.relativize(p)).normalize();
    }

    /** An output being resumed: its work folders and array must not be links to elsewhere (planted on shared storage). */
    private static void requireOwnWorkFiles(Path out) throws BadInputException {
        for (Path p : new Path[] {out.resolve(OmeZarr.LEVEL0), out.resolve(WORK_DIR), out.resolve(WORK_DIR).resolve("partials"),
                temporaryFiles(out)}) {
            try {
                OmeZarr.requireInside(p, out);
            } catch (IOException e) {
                throw new BadInputException(e.getMessage() + "; the output cannot be resumed safely: choose another", e);
            }
        }
    }

    private static Manifest readManifest(Path file) throws BadInputException {
        try {
            return Manifest.read(file);
        } catch (IOException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    private static boolean isEmptyFolder(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static JsonObject fingerprint(Path in, StackShape shape, TileModel model, String modelId,
            RestoreSettings settings, VolumeLayout layout) {
        JsonObject f = new JsonObject();
        f.addProperty("input", in.toString());
        JsonArray s = new JsonArray();
        for (int v : new int[] {shape.width(), shape.height(), shape.channels(), shape.slices(), shape.frames(),
                shape.bitDepth()}) {
            s.add(v);
        }
        f.add("input_shape_xyczt_bits", s);
        JsonObject m = new JsonObject();
        m.addProperty("name", model.name());
        m.addProperty("id", modelId);
        m.addProperty("scale", model.scale());
        f.add("model", m);
        f.addProperty("tile", settings.tile());
        f.addProperty("overlap", settings.overlap());
        f.addProperty("input_frames", settings.inputFrames());
        f.addProperty("frame_axis", settings.frameAxis().name().toLowerCase(Locale.ROOT));
        f.addProperty("low_percentile", settings.lowPercentile());
        f.addProperty("high_percentile", settings.highPercentile());
        f.addProperty("out_type", settings.outType().name().toLowerCase(Locale.ROOT));
        f.addProperty("chunk_x", layout.plan().chunkWidth());
        f.addProperty("chunk_y", layout.plan().chunkHeight());
        f.addProperty("chunk_z", layout.chunkZ());
        f.addProperty("block_tiles", layout.plan().blockTiles());
        return f;
    }

    /** Streams every channel on this machine: chunk by chunk for OME-Zarr, plane by plane otherwise. */
    public static Normalisation[] localPercentiles(Path input, ImageStackSource source, double low, double high)
            throws BadInputException {
        Pieces pieces = Pieces.of(source);
        Normalisation[] n = new Normalisation[source.channels()];
        for (int c = 0; c < n.length; c++) {
            int channel = c;
            long count = pieces.count();
            if (count > Integer.MAX_VALUE) {
                throw new BadInputException(source.title() + " has too many chunks for local percentiles; use spark-restore");
            }
            double[] p = StackPercentiles.of((int) count, i -> pieces.read(source, channel, i), low, high);
            n[c] = new Normalisation(p[0], p[1]);
        }
        return n;
    }

    public Path input() {
        return input;
    }

    public Path output() {
        return output;
    }

    public VolumeLayout layout() {
        return layout;
    }

    public Normalisation[] normalisations() {
        return norms.clone();
    }

    /** True when a complete output existed and skipping was asked for: nothing to do. */
    public boolean skipped() {
        return skipped;
    }

    /** True when an unfinished restoration with the same fingerprint is being continued. */
    public boolean resumed() {
        return resumed;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** Where shared chunks' partials go until merged. */
    public Path partials() {
        return output.resolve(WORK_DIR).resolve("partials");
    }

    /** The full-resolution output array, writing its temporary files into {@link #temporaryFiles(Path)}. */
    public ZarrArray outputArray() throws IOException {
        return outputArray(output);
    }

    /** The output array of the restoration into {@code output}, as workers open it. */
    public static ZarrArray outputArray(Path output) throws IOException {
        return ZarrArray.open(output.resolve(OmeZarr.LEVEL0), output).withTempDir(temporaryFiles(output));
    }

    /** Where chunks and partials are written before their rename; cleared when the job completes. */
    public static Path temporaryFiles(Path output) {
        return output.resolve(WORK_DIR).resolve("tmp");
    }

    /** Plain values for shipping to workers. */
    public Spec spec() {
        double[] lo = new double[norms.length];
        double[] hi = new double[norms.length];
        for (int c = 0; c < norms.length; c++) {
            lo[c] = norms[c].low();
            hi[c] = norms[c].high();
        }
        return new Spec(input.toString(), output.toString(), settings, layout.plan().chunkWidth(),
                layout.plan().chunkHeight(), layout.chunkZ(), layout.plan().blockTiles(), lo, hi);
    }

    /**
     * Records a run in the manifest; when {@code finished}, deletes the partials and marks the output
     * complete.
     */
    public void record(JsonObject run, boolean finished) throws IOException {
        if (finished) {
            Folders.deleteTree(partials());
            Folders.deleteTree(temporaryFiles(output));
        }
        manifest.addRun(run, finished);
        manifest.write();
    }

    /** Outcome as the single-file restorer reports it. */
    public Restorer.Outcome outcome() {
        return skipped ? Restorer.Outcome.SKIPPED : Restorer.Outcome.RESTORED;
    }

    VolumeOptions options() {
        return options;
    }
}
