package io.github.decrappify.restore;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.ImageSources;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.Normalisation;
import io.github.decrappify.image.SampleType;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.TiffStackWriter;
import io.github.decrappify.qc.DataConsistency;
import io.github.decrappify.qc.QcTable;
import io.github.decrappify.qc.TestTimeAugmentation;
import io.github.decrappify.model.BundleSpec.FrameAxis;
import io.github.decrappify.tile.TileModel;
import io.github.decrappify.tile.TiledPredictor;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

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

    private static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "gif", "bmp",
            "pgm", "fits", "fit", "dcm");

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
        return output.resolveSibling(baseName(output) + "_uncertainty.tif");
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
     * when {@link #optQc} is on. The overwrite and skip rules apply to every file written; a skipped
     * image needs all of them complete.
     *
     * @param qcMap required with {@link #optQc}, ignored without
     */
    public Outcome restoreFile(Path input, Path output, Path qcMap) throws BadInputException, IOException {
        Path in = input.toAbsolutePath().normalize();
        Path out = output.toAbsolutePath().normalize();
        if (Files.isDirectory(out)) {
            throw new BadInputException("Output " + out + " is a folder; give a file name, or a folder as input too");
        }
        TiffStackWriter.requireTiffName("Output", out);
        Path qcOut = qcTarget(qcMap, out);
        List<Path> targets = new ArrayList<>(List.of(out));
        if (tta) {
            targets.add(uncertaintyFile(out));
        }
        if (qcOut != null) {
            targets.add(qcOut);
            targets.add(QcTable.csvFor(qcOut)); // the QC table is an output too: same overwrite rule
        }
        for (Path target : targets) {
            if (!settings.overwrite() && (in.equals(target) || sameExistingFile(in, target))) {
                throw new BadInputException("Output " + target + " is the input file; choose another output or allow overwriting");
            }
        }
        try (ImageStackSource source = ImageSources.open(in)) {
            List<Path> existing = targets.stream().filter(Files::exists).toList();
            if (!existing.isEmpty() && !settings.overwrite()) {
                if (settings.skipExisting() && allComplete(source.shape(), out, qcOut)) {
                    listener.message("Skipped " + in.getFileName() + ": " + out.getFileName() + " already exists");
                    return Outcome.SKIPPED;
                }
                Path first = existing.get(0);
                throw new BadInputException("Output " + first + " already exists"
                        + (settings.skipExisting() ? " but " + (first.equals(out) && existing.size() == targets.size()
                                ? "does not match this input" : "the outputs are incomplete") : "")
                        + "; allow overwriting" + (settings.skipExisting() ? "" : " or skip existing outputs"));
            }
            restore(source, out, qcOut);
            return Outcome.RESTORED;
        }
    }

    private Path qcTarget(Path qcMap, Path out) throws BadInputException {
        if (qc == null) {
            return null;
        }
        if (qcMap == null) {
            throw new IllegalArgumentException("QC is on: give the QC map's path");
        }
        Path q = qcMap.toAbsolutePath().normalize();
        if (Files.isDirectory(q)) {
            throw new BadInputException("QC map " + q + " is a folder; give a file name, or a folder as input too");
        }
        Path table = QcTable.csvFor(q);
        if (table.equals(q)) {
            throw new BadInputException("QC map " + q + " needs a .tif name (its table goes to the .csv beside it)");
        }
        TiffStackWriter.requireTiffName("QC map", q);
        if (q.equals(out) || table.equals(out) || (tta && (q.equals(uncertaintyFile(out)) || table.equals(uncertaintyFile(out))))) {
            throw new BadInputException("QC map " + q + " would replace the restored image; choose another name");
        }
        return q;
    }

    private boolean allComplete(StackShape input, Path out, Path qcOut) {
        StackShape shape = outputShape(input);
        return isComplete(out, shape)
                && (!tta || isComplete(uncertaintyFile(out), shape.asFloat()))
                && (qcOut == null || (isComplete(qcOut, input.asFloat()) && Files.isRegularFile(QcTable.csvFor(qcOut))));
    }

    private static boolean sameExistingFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** An existing output counts as complete when it opens with the expected shape (outputs are renamed when done). */
    private static boolean isComplete(Path out, StackShape expected) {
        try (ImageStackSource existing = ImageJStackSource.open(out)) {
            return existing.shape().equals(expected);
        } catch (BadInputException e) {
            return false;
        }
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
        PlaneLimits.requireLargeEnough(model, source);
        // The uncertainty and QC maps are float whatever the output type.
        PlaneLimits.requireOutputPlaneFits(model, source, Integer.MAX_VALUE, tta || qc != null ? 4 : outputShape(source.shape()).bytesPerPixel(),
                "a TIFF plane can hold (2 GiB); write OME-Zarr (-o NAME.ome.zarr), which is stored in blocks, or crop the input");
        Path out = output.toAbsolutePath().normalize();
        Path qcOut = qcTarget(qcMap, out);
        requireWritableFolder(out.getParent());
        if (qcOut != null) {
            requireWritableFolder(qcOut.getParent());
        }
        StackShape shape = outputShape(source.shape());
        QcTable table = new QcTable();
        try (TiffStackWriter writer = openWriter(out, shape, source.calibration().scaled(model.scale()), provenance(source));
                TiffStackWriter spread = !tta ? null : openWriter(uncertaintyFile(out), shape.asFloat(),
                        source.calibration().scaled(model.scale()), "Uncertainty of " + out.getFileName()
                                + ": standard deviation of the restorations of the 8 flips/rotations (output units); "
                                + provenance(source));
                TiffStackWriter map = qcOut == null ? null : openWriter(qcOut, source.shape().asFloat(),
                        source.calibration(), "Data-consistency error map of " + out.getFileName()
                                + ": |input - fitted degraded restoration| (input units), degraded with "
                                + qc.describe() + "; " + provenance(source))) {
            CheckSinks checks = new CheckSinks(spread == null ? null : spread::writePlane, map == null ? null
                    : (c, z, t, r) -> {
                        map.writePlane(c, z, t, r.errorMap());
                        table.add(QcTable.Row.of(c, z, t, r));
                    });
            restore(source, writer::writePlane, checks);
            if (spread != null) {
                spread.commit();
                listener.message("Wrote " + spread.target());
            }
            if (map != null) {
                table.writeCsv(QcTable.csvFor(qcOut));
                map.commit();
                listener.message("QC of " + source.title() + ": " + table.summary() + "; wrote " + qcOut);
            }
            writer.commit();
        }
        listener.message("Wrote " + out);
        return table;
    }

    private TiffStackWriter openWriter(Path out, StackShape shape, io.github.decrappify.image.Calibration calibration,
            String info) throws BadInputException, IOException {
        try {
            return new TiffStackWriter(out, shape, calibration, info);
        } catch (FileSystemException e) {
            throw new BadInputException("Cannot write " + out + " (" + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName())
                    + "); choose another output folder", e);
        }
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
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException(label + " " + out + " is a file; give a folder for folder mode");
        }
        String name = out.getFileName() == null ? "" : out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (!Files.exists(out) && dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            throw new BadInputException(label + " " + out + " is named like an image file but the input is a folder;"
                    + " give a folder name (outputs are <name>.tif inside it)");
        }
    }

    private static void requireWritableFolder(Path folder) throws BadInputException {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            // The usual cause is a path through an existing file (a typo, or a file named like the folder).
            Path file = folder;
            while (file != null && !Files.isRegularFile(file)) {
                file = file.getParent();
            }
            throw new BadInputException("Cannot create output folder " + folder + " ("
                    + (file != null ? file + " is a file, not a folder" : e.getClass().getSimpleName())
                    + "); choose a writable location", e);
        }
        if (!Files.isWritable(folder)) {
            throw new BadInputException("Output folder " + folder + " is not writable; choose another output");
        }
    }

    private String provenance(ImageStackSource source) {
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
        Path qcDir = null;
        if (qc != null) {
            if (qcFolder == null) {
                throw new IllegalArgumentException("QC is on: give a folder for the QC maps");
            }
            qcDir = qcFolder.toAbsolutePath().normalize();
            String name = qcDir.getFileName().toString().toLowerCase(Locale.ROOT);
            if ((Files.exists(qcDir) && !Files.isDirectory(qcDir)) || (!Files.exists(qcDir)
                    && (name.endsWith(".tif") || name.endsWith(".tiff")))) {
                throw new BadInputException("QC output " + qcDir + " is a file; give a folder for folder mode");
            }
            requireWritableFolder(qcDir);
        }
        Path in = inputFolder.toAbsolutePath().normalize();
        Path out = outputFolder.toAbsolutePath().normalize();
        if (!Files.isDirectory(in)) {
            throw new BadInputException("Input folder " + in + " does not exist or is not a folder");
        }
        requireFolderName("Output", out);
        requireWritableFolder(out);
        List<Path> images;
        try (Stream<Path> files = Files.list(in)) {
            images = files.filter(Restorer::looksLikeImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new BadInputException("Input folder " + in + " holds no images (by extension: "
                    + String.join(", ", new java.util.TreeSet<>(IMAGE_EXTENSIONS)) + "); check the path");
        }
        Map<Path, String> collisions = collisions(images, out, qcDir);
        int restored = 0;
        int skipped = 0;
        List<FolderReport.Failure> failures = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Path image = images.get(i);
            Path target = out.resolve(baseName(image) + ".tif");
            listener.message("Image " + (i + 1) + " of " + images.size() + ": " + image.getFileName());
            try {
                if (!Files.exists(image)) {
                    throw new BadInputException(image.getFileName() + " is a link to a missing file");
                }
                if (collisions.containsKey(image)) {
                    throw new BadInputException(collisions.get(image));
                }
                Path qcMap = qcDir == null ? null : qcDir.resolve(baseName(image) + "_qc.tif");
                if (restoreFile(image, target, qcMap) == Outcome.SKIPPED) {
                    skipped++;
                } else {
                    restored++;
                }
            } catch (BadInputException | IOException e) {
                failures.add(new FolderReport.Failure(image, e.getMessage()));
                listener.message("Failed " + image.getFileName() + ": " + e.getMessage());
            }
        }
        listener.message("Restored " + restored + ", skipped " + skipped + ", failed " + failures.size());
        return new FolderReport(restored, skipped, failures);
    }

    /**
     * Every file the folder job would write, planned before anything is written: an image whose outputs
     * (restoration, uncertainty map, QC map and CSV) are also another image's outputs, or replace another
     * input, is refused with the reason (both images of a collision, so that neither input is replaced by
     * the other's restoration). An image may replace itself only with overwrite, as in {@link #restoreFile}.
     */
    private Map<Path, String> collisions(List<Path> images, Path out, Path qcDir) {
        Map<Path, Path> inputs = new HashMap<>();
        Map<Path, List<Path>> writers = new LinkedHashMap<>();
        for (Path image : images) {
            inputs.put(canonical(image), image);
        }
        for (Path image : images) {
            for (Path f : folderOutputs(image, out, qcDir)) {
                writers.computeIfAbsent(canonical(f), k -> new ArrayList<>()).add(image);
            }
        }
        Map<Path, String> reasons = new LinkedHashMap<>();
        for (Map.Entry<Path, List<Path>> w : writers.entrySet()) {
            List<Path> by = w.getValue();
            String name = w.getKey().getFileName().toString();
            if (by.size() > 1) {
                String all = String.join(" and ", by.stream().map(p -> p.getFileName().toString()).toList());
                for (Path image : by) {
                    reasons.putIfAbsent(image, all + " would all be written to " + name + "; rename one of them");
                }
            }
            Path input = inputs.get(w.getKey());
            if (input != null) {
                for (Path image : by) {
                    if (!image.equals(input)) {
                        reasons.putIfAbsent(image, "its output " + name + " would replace the input " + input.getFileName()
                                + "; choose another output folder or rename one of them");
                    }
                }
            }
        }
        return reasons;
    }

    private List<Path> folderOutputs(Path image, Path out, Path qcDir) {
        Path target = out.resolve(baseName(image) + ".tif");
        List<Path> files = new ArrayList<>(List.of(target));
        if (tta) {
            files.add(uncertaintyFile(target));
        }
        if (qcDir != null) {
            Path map = qcDir.resolve(baseName(image) + "_qc.tif");
            files.add(map);
            files.add(QcTable.csvFor(map));
        }
        return files;
    }

    /** The path through its folder's real path (a linked output folder is the folder it links to). */
    private static Path canonical(Path p) {
        Path a = p.toAbsolutePath().normalize();
        try {
            return a.getParent().toRealPath().resolve(a.getFileName());
        } catch (IOException e) {
            return a;
        }
    }

    private static boolean looksLikeImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        // A dangling link is kept, to be reported as a failure rather than skipped in silence.
        boolean file = Files.isRegularFile(p) || (Files.isSymbolicLink(p) && !Files.exists(p));
        return !name.startsWith(".") && dot > 0 && file
                && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String baseName(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
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
