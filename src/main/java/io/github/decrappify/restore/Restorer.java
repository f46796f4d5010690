package io.github.decrappify.restore;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.Normalisation;
import io.github.decrappify.image.SampleType;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.qc.DataConsistency;
import io.github.decrappify.qc.QcTable;
import io.github.decrappify.qc.TestTimeAugmentation;
import io.github.decrappify.model.BundleSpec.FrameAxis;
import io.github.decrappify.tile.TileModel;
import io.github.decrappify.tile.TiledPredictor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Restores images with a {@link TileModel}, plane by plane, so stacks larger than the heap stream
 * from disk to disk.
 *
 * <p>For every channel, normalisation percentiles are computed over the whole stack (streamed); then
 * each plane (c, z, t) is normalised, given to the model with its neighbours if the model is
 * multi-frame, predicted tile by tile, mapped back to the input's intensity units and written. The
 * output's pixel size is the input's divided by the scale. Outputs are written to a unique hidden
 * temporary file and renamed when complete ({@link io.github.decrappify.image.AtomicFiles#open}), so a failure never
 * leaves a partial output and a second writer of the same output is refused.
 *
 * <p>The plane restorer is this class; where planes go is elsewhere: a {@link PlaneSink} (Fiji's in-memory
 * stack), TIFF files ({@code TiffOutput}: result, uncertainty and QC maps under one {@link OutputPolicy}) or a
 * folder batch ({@code FolderBatch}). Every output carries the same {@link Provenance}.
 *
 * <p>Two optional checks travel with the result, plane by plane like it: {@link #optTta} restores each
 * plane in the 8 flips/rotations, writes their mean as the result and their spread as an uncertainty
 * map ({@link #uncertaintyFile}); {@link #optQc} degrades each restored plane back with the model's
 * crappifier and writes the data-consistency error map (LR-sized) plus a CSV of RSE/RSP per plane.
 *
 * <pre>{@code
 * Restorer restorer = new Restorer(model, RestoreSettings.defaults(model.scale()), listener);
 * restorer.restoreFile(Path.of("in.tif"), Path.of("out.tif"));           // one file
 * FolderReport r = restorer.restoreFolder(Path.of("in"), Path.of("out")); // every image in a folder
 * }</pre>
 */
public final class Restorer {

    private final TileModel model;
    private final RestoreSettings settings;
    private final RestoreListener listener;
    private final TiledPredictor predictor;
    private boolean tta;
    private DataConsistency qc;

    public Restorer(TileModel model, RestoreSettings settings) {
        this(model, settings, RestoreListener.NONE);
    }

    /** @throws IllegalArgumentException if the settings' scale or frame count do not match the model */
    public Restorer(TileModel model, RestoreSettings settings, RestoreListener listener) {
        if (settings.scale() != model.scale()) {
            throw new IllegalArgumentException("settings say scale " + settings.scale() + " but model " + model.name()
                    + " has scale " + model.scale());
        }
        if (settings.inputFrames() != model.inputChannels()) {
            throw new IllegalArgumentException("settings say " + settings.inputFrames() + " input frames but model "
                    + model.name() + " takes " + model.inputChannels() + " channels");
        }
        this.model = model;
        this.settings = settings;
        this.listener = listener;
        this.predictor = new TiledPredictor(model, settings.tile(), settings.overlap());
    }

    /**
     * Test-time augmentation: each plane is restored in the 8 flips/rotations (8 times the work) and the
     * mean is the result; file outputs get the per-pixel spread beside them ({@link #uncertaintyFile}).
     */
    public Restorer optTta(boolean on) {
        this.tta = on;
        return this;
    }

    /**
     * Data-consistency QC with {@code check} (null: off). File outputs then need a QC map path
     * ({@link #restoreFile(Path, Path, Path)}, {@link #restoreFolder(Path, Path, Path)}).
     *
     * @throws IllegalArgumentException if the check's scale is not the model's
     */
    public Restorer optQc(DataConsistency check) {
        if (check != null && check.scale() != model.scale()) {
            throw new IllegalArgumentException("QC degradation has scale " + check.scale() + " but model " + model.name()
                    + " has scale " + model.scale());
        }
        this.qc = check;
        return this;
    }

    public boolean tta() {
        return tta;
    }

    public DataConsistency qc() {
        return qc;
    }

    /** Where {@code --tta} puts the uncertainty map of {@code output}: {@code <name>_uncertainty.tif} beside it. */
    public static Path uncertaintyFile(Path output) {
        return output.resolveSibling(FolderBatch.baseName(output) + "_uncertainty.tif");
    }

    /** Whether a file was restored or left alone because a complete output existed. */
    public enum Outcome {
        RESTORED, SKIPPED
    }

    /** Size and type of the output for an input of {@code input}'s shape. */
    public StackShape outputShape(StackShape input) {
        return settings.outputShape(input);
    }

    /**
     * Restores one image file, or an OME-Zarr image, into an ImageJ TIFF (for an OME-Zarr output see
     * {@link io.github.decrappify.volume.VolumeRestore}).
     *
     * @throws BadInputException with a one-line reason: unreadable input, non-finite pixels, image too
     *         small, output equal to the input or already existing (without overwrite), output not writable
     * @throws IOException on an unexpected I/O failure while writing (e.g. disk full); no output is left
     */
    public Outcome restoreFile(Path input, Path output) throws BadInputException, IOException {
        return restoreFile(input, output, null);
    }

    /**
     * Restores one image file, and writes the QC map to {@code qcMap} (with its CSV, {@link QcTable#csvFor})
     * when {@link #optQc} is on. The {@link OutputPolicy} applies to every file written; a skipped
     * image needs all of them complete.
     *
     * @param qcMap required with {@link #optQc}, ignored without
     */
    public Outcome restoreFile(Path input, Path output, Path qcMap) throws BadInputException, IOException {
        return new TiffOutput(this).restoreFile(input, output, qcMap);
    }

    /**
     * Restores an open source into a TIFF at {@code output}, replacing an existing file there (the
     * overwrite policy is checked by {@link #restoreFile}).
     */
    public void restore(ImageStackSource source, Path output) throws BadInputException, IOException {
        restore(source, output, null);
    }

    /**
     * Like {@link #restore(ImageStackSource, Path)}, with the checks that are on: the uncertainty map
     * beside {@code output}, the QC map at {@code qcMap} (required with {@link #optQc}) and its CSV. The
     * checks are committed before the result, so a complete result means complete checks.
     *
     * @return the QC scores per plane (empty without {@link #optQc})
     */
    public QcTable restore(ImageStackSource source, Path output, Path qcMap) throws BadInputException, IOException {
        return new TiffOutput(this).restore(source, output, qcMap);
    }

    /**
     * Restores every plane of {@code source} into {@code sink} (planes of {@link #outputShape}).
     * Nothing is given to the sink before all planes have been checked for NaN and infinity.
     */
    public void restore(ImageStackSource source, PlaneSink sink) throws BadInputException, IOException {
        restore(source, sink, CheckSinks.NONE);
    }

    /**
     * Restores every plane into {@code sink} and gives the checks that are on to {@code checks}: with
     * {@link #optTta} the spread (output-sized, output units), with {@link #optQc} the data-consistency
     * result (input-sized map, input units). A check that is on needs its sink.
     */
    public void restore(ImageStackSource source, PlaneSink sink, CheckSinks checks) throws BadInputException,
            IOException {
        if ((tta && checks.uncertainty() == null) || (qc != null && checks.qc() == null)) {
            throw new IllegalArgumentException("a check is on (TTA " + tta + ", QC " + (qc != null) + ") without its sink");
        }
        PlaneLimits.requireLargeEnough(model, source);
        PlaneLimits.requireOutputPlaneFits(model, source, ImageJStackSource.MAX_PLANE_PIXELS, 1,
                "one plane can hold (2^31 pixels); crop the input or split it into tiles");
        SampleType type = source.sampleType();
        if (type.converted()) {
            // Such sources report 32 bits, so the output is float whatever the output type.
            listener.message(source.title() + " holds " + type.describe() + "; the restoration is written as 32-bit float");
        }
        int channels = source.channels();
        Normalisation[] norms = new Normalisation[channels];
        for (int c = 0; c < channels; c++) {
            listener.message("Measuring intensities of " + source.title() + (channels > 1 ? ", channel " + (c + 1) : ""));
            norms[c] = Normalisation.ofChannel(source, c, settings.lowPercentile(), settings.highPercentile());
        }
        boolean alongZ = settings.frameAxis() == FrameAxis.Z;
        int axisLength = alongZ ? source.slices() : source.frames();
        int otherLength = alongZ ? source.frames() : source.slices();
        if (settings.inputFrames() > 1 && axisLength == 1) {
            listener.message("Warning: the model reads " + settings.inputFrames() + " adjacent planes along "
                    + settings.frameAxis().yamlName().toUpperCase(Locale.ROOT) + ", but " + source.title()
                    + " has one there, so each plane is fed as copies of itself and its noise is not averaged"
                    + (channels > 1 ? "; if its " + channels + " channels are sections or time points, store them as"
                    + " slices or frames (Fiji: Image > Hyperstacks > Re-order Hyperstack)" : ""));
        }
        int total = source.planeCount();
        int done = 0;
        for (int c = 0; c < channels; c++) {
            for (int other = 0; other < otherLength; other++) {
                NeighbourCache cache = new NeighbourCache(source, c, other, alongZ, norms[c]);
                for (int i = 0; i < axisLength; i++) {
                    FloatPlane input = cache.window(FrameWindow.around(i, settings.inputFrames(), axisLength));
                    int z = alongZ ? i : other;
                    int t = alongZ ? other : i;
                    FloatPlane prediction;
                    if (tta) {
                        TestTimeAugmentation.Result r = augmented(input);
                        prediction = r.mean();
                        checks.uncertainty().writePlane(c, z, t, scaled(r.spread(), norms[c].span()));
                    } else {
                        prediction = predictor.predict(input, listener::tile);
                    }
                    sink.writePlane(c, z, t, norms[c].invert(prediction));
                    if (qc != null) {
                        // Normalised units are an affine map of the input's: the fit absorbs it, the
                        // residuals scale by the span (so the map and RSE are in input units).
                        FloatPlane centre = input.channel(input.channels() / 2);
                        DataConsistency.Result r = qc.check(centre, prediction);
                        checks.qc().writePlane(c, z, t, new DataConsistency.Result(scaled(r.errorMap(), norms[c].span()),
                                r.rse() * norms[c].span(), r.rsp(), r.gain(), r.offset() * norms[c].span() + norms[c].low()
                                        - r.gain() * norms[c].low()));
                    }
                    listener.plane(++done, total);
                }
            }
        }
    }

    /** The 8 passes of test-time augmentation, each tiled; tile progress counts over all passes. */
    private TestTimeAugmentation.Result augmented(FloatPlane input) {
        int[] pass = {0};
        return TestTimeAugmentation.predict(input,
                p -> predictor.predict(p, (done, total) -> listener.tile(pass[0] * total + done,
                        TestTimeAugmentation.PASSES * total)),
                (k, g) -> pass[0] = k);
    }

    private static FloatPlane scaled(FloatPlane p, double factor) {
        float[] in = p.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (in[i] * factor);
        }
        return new FloatPlane(p.width(), p.height(), p.channels(), out);
    }

    /**
     * Refuses, before any work, a folder-mode output that is a file or is named like one (an image
     * extension: {@code -o out.png} with a folder input would have become a folder named out.png).
     */
    public static void requireFolderName(String label, Path out) throws BadInputException {
        FolderBatch.requireFolderName(label, out);
    }

    /** What the outputs of {@code source} say about how they were made. */
    String provenance(ImageStackSource source) {
        return Provenance.of(model, settings, tta).describe(source.title());
    }

    /**
     * Restores every image in {@code inputFolder} (TIFF, PNG, JPEG, GIF, BMP, PGM, FITS, DICOM by
     * extension; hidden files ignored) into {@code outputFolder} under the same base name with
     * {@code .tif}. A bad file is reported to the listener and in the report, and the run goes on.
     *
     * @throws BadInputException if the input is not a folder or the output folder cannot be used
     */
    public FolderReport restoreFolder(Path inputFolder, Path outputFolder) throws BadInputException, IOException {
        return restoreFolder(inputFolder, outputFolder, null);
    }

    /**
     * Like {@link #restoreFolder(Path, Path)}; with {@link #optQc}, each image's QC map goes to
     * {@code qcFolder/<name>_qc.tif} (and {@code <name>_qc.csv}).
     */
    public FolderReport restoreFolder(Path inputFolder, Path outputFolder, Path qcFolder) throws BadInputException,
            IOException {
        return new FolderBatch(this).restore(inputFolder, outputFolder, qcFolder);
    }

    TileModel model() {
        return model;
    }

    RestoreSettings settings() {
        return settings;
    }

    RestoreListener listener() {
        return listener;
    }

    /**
     * Normalised planes along the frame axis for one channel and one position on the other axis, kept
     * only while a multi-frame window still needs them (at most inputFrames + 1 planes).
     */
    private final class NeighbourCache {
        private final ImageStackSource source;
        private final int c;
        private final int other;
        private final boolean alongZ;
        private final Normalisation norm;
        private final Map<Integer, FloatPlane> planes;

        NeighbourCache(ImageStackSource source, int c, int other, boolean alongZ, Normalisation norm) {
            this.source = source;
            this.c = c;
            this.other = other;
            this.alongZ = alongZ;
            this.norm = norm;
            int capacity = settings.inputFrames() + 1;
            this.planes = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, FloatPlane> eldest) {
                    return size() > capacity;
                }
            };
        }

        /** The planes at {@code positions} as the channels of one NHWC plane. */
        FloatPlane window(int[] positions) throws BadInputException {
            if (positions.length == 1) {
                return plane(positions[0]);
            }
            int n = positions.length;
            FloatPlane first = plane(positions[0]);
            FloatPlane stacked = FloatPlane.zeros(first.width(), first.height(), n);
            float[] out = stacked.data();
            for (int k = 0; k < n; k++) {
                float[] in = plane(positions[k]).data();
                for (int i = 0; i < in.length; i++) {
                    out[i * n + k] = in[i];
                }
            }
            return stacked;
        }

        private FloatPlane plane(int position) throws BadInputException {
            FloatPlane p = planes.get(position);
            if (p == null) {
                FloatPlane raw = alongZ ? source.readFinitePlane(c, position, other)
                        : source.readFinitePlane(c, other, position);
                p = norm.apply(raw);
                planes.put(position, p);
            }
            return p;
        }
    }
}
