package io.github.decrappify.fiji;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.qc.DataConsistency;
import io.github.decrappify.qc.QcTable;
import io.github.decrappify.restore.CheckSinks;
import io.github.decrappify.restore.FolderReport;
import io.github.decrappify.restore.RestoreListener;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.RestoreSession;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

/**
 * The engine behind the Fiji Restore commands: a {@link RestoreSession} (the CLI's: model, settings, checks and
 * provenance resolved the same way) whose {@link Restorer} runs on an open {@link ImagePlus} (into a new image)
 * or on a folder (into files).
 *
 * <p>The result is kept in memory when it fits in half of the free heap; a larger one is written to a
 * temporary TIFF (deleted when Fiji exits) and opened as a virtual stack, so restoring never fails for
 * lack of heap once the input is open.
 * <pre>{@code
 * ImagePlus out = new ImageRestorer(FijiModels.store())
 *         .restore(imp, "em-x4-unet-s", RestoreRequest.defaults(), Device.AUTO, progress);
 * }</pre>
 */
final class ImageRestorer {

    private final ModelStore store;
    private long memoryBudget = -1;

    ImageRestorer(ModelStore store) {
        this.store = store;
    }

    /** Largest output kept in memory, in bytes (default: half of the free heap when the run starts). */
    ImageRestorer optMemoryBudget(long bytes) {
        memoryBudget = bytes;
        return this;
    }

    /**
     * @return a new image titled "&lt;title&gt; restored by &lt;model&gt;", C/Z/T as the input, pixel
     *         size divided by the model's scale, the model and device in its "Info" property
     * @throws CancellationException if {@code progress} asked to stop
     */
    ImagePlus restore(ImagePlus image, String model, RestoreRequest request, Device device, RestoreProgress progress)
            throws BadInputException, BundleException, RuntimeUnavailableException, IOException {
        return restore(image, model, request, false, false, device, progress).image();
    }

    /**
     * A restoration and the checks asked for: the TTA uncertainty map (output-sized) and the
     * data-consistency QC map (input-sized, RSE/RSP per plane in its slice labels and in {@code qc}).
     * Unrequested checks are {@code null}.
     */
    record Result(ImagePlus image, ImagePlus uncertainty, ImagePlus qcMap, QcTable qc) {
    }

    /**
     * Like {@link #restore(ImagePlus, String, RestoreRequest, Device, RestoreProgress)}, optionally with
     * test-time augmentation (the result is the mean of the 8 flips/rotations) and the QC map.
     */
    Result restore(ImagePlus image, String model, RestoreRequest request, boolean tta, boolean qc, Device device,
            RestoreProgress progress) throws BadInputException, BundleException, RuntimeUnavailableException, IOException {
        return restore(image, model, request, tta, qc, device, Precision.AUTO, progress);
    }

    /**
     * Like {@link #restore(ImagePlus, String, RestoreRequest, boolean, boolean, Device, RestoreProgress)} in
     * {@code precision} (as {@code restore --precision}: {@code AUTO} is bf16 only on a CPU with native bf16 and a
     * bundle whose recorded bf16 check allows it); the precision used and why go into the image's "Info".
     *
     * @throws IllegalArgumentException {@code BF16} on a GPU
     */
    Result restore(ImagePlus image, String model, RestoreRequest request, boolean tta, boolean qc, Device device,
            Precision precision, RestoreProgress progress)
            throws BadInputException, BundleException, RuntimeUnavailableException, IOException {
        ImageJStackSource source = ImageJStackSource.wrap(image);
        RestoreSession resolved = RestoreSession.resolve(store, model, request, tta, qc);
        DataConsistency check = resolved.qc();
        try (RestoreSession session = resolved.load(device, precision)) {
            BundleModel m = session.model();
            progress.started(m.name(), m.device());
            Restorer restorer = session.restorer(cancellable(progress));
            StackShape shape = restorer.outputShape(source.shape());
            StackShape spreadShape = shape.asFloat();
            StackShape mapShape = source.shape().asFloat();
            long bytes = shape.planeBytes() * shape.planeCount()
                    + (tta ? spreadShape.planeBytes() * spreadShape.planeCount() : 0)
                    + (qc ? mapShape.planeBytes() * mapShape.planeCount() : 0);
            ImagePlus out;
            ImagePlus spread = null;
            ImagePlus map = null;
            QcTable table = new QcTable();
            if (bytes <= budget()) {
                ImageStackSink sink = new ImageStackSink(shape);
                ImageStackSink spreadSink = tta ? new ImageStackSink(spreadShape) : null;
                ImageStackSink mapSink = qc ? new ImageStackSink(mapShape) : null;
                restorer.restore(source, sink, new CheckSinks(spreadSink, mapSink == null ? null : (c, z, t, r) -> {
                    mapSink.writePlane(c, z, t, r.errorMap());
                    table.add(QcTable.Row.of(c, z, t, r));
                }));
                out = new ImagePlus("", sink.stack());
                spread = spreadSink == null ? null : new ImagePlus("", spreadSink.stack());
                map = mapSink == null ? null : new ImagePlus("", mapSink.stack());
            } else {
                ImagePlus[] files = restoreToTemporaryFiles(restorer, source, progress, table);
                out = files[0];
                spread = files[1];
                map = files[2];
            }
            String title = image.getTitle() + " restored by " + m.name();
            out.setTitle(title);
            out.setDimensions(shape.channels(), shape.slices(), shape.frames());
            copySliceLabels(image.getStack(), out.getStack());
            out.setCalibration(scaled(image.getCalibration(), m.scale()));
            out.setProperty("Info", session.provenance().describe(image.getTitle()));
            if (spread != null) {
                spread.setTitle(image.getTitle() + " TTA uncertainty (" + m.name() + ")");
                spread.setDimensions(shape.channels(), shape.slices(), shape.frames());
                spread.setCalibration(scaled(image.getCalibration(), m.scale()));
                spread.setProperty("Info", "Per-pixel standard deviation of the restorations of the 8 flips/rotations of "
                        + image.getTitle() + " by " + m.name() + " (output units): where it is high, do not trust the detail.");
                spread = display(image, spread);
            }
            if (map != null) {
                map.setTitle(image.getTitle() + " QC map (" + m.name() + ")");
                map.setDimensions(mapShape.channels(), mapShape.slices(), mapShape.frames());
                map.setCalibration(image.getCalibration().copy());
                if (!map.getStack().isVirtual()) {
                    for (QcTable.Row r : table.rows()) {
                        map.getStack().setSliceLabel(r.label(), mapShape.planeIndex(r.c(), r.z(), r.t()) + 1);
                    }
                }
                map.setProperty("Info", "Data-consistency error map of " + title + ": |input - fitted degraded restoration|"
                        + " in input units, degraded with " + check.describe() + ". " + table.summary() + "\n"
                        + table.csv());
                progress.message("QC of " + image.getTitle() + ": " + table.summary());
                map = display(image, map);
            }
            return new Result(display(image, out), spread, map, qc ? table : null);
        }
    }

    /** {@link #restoreFolder(Path, Path, String, RestoreRequest, boolean, Path, Device, Precision, RestoreProgress)} in auto precision. */
    FolderReport restoreFolder(Path input, Path output, String model, RestoreRequest request, boolean tta, Path qcFolder,
            Device device, RestoreProgress progress)
            throws BadInputException, BundleException, RuntimeUnavailableException, IOException {
        return restoreFolder(input, output, model, request, tta, qcFolder, device, Precision.AUTO, progress);
    }

    /**
     * Restores every image of {@code input} into {@code output} (see {@link Restorer#restoreFolder});
     * bad files are listed in the report and the others still written. With {@code tta} each result is
     * the mean of the 8 flips/rotations and {@code <name>_uncertainty.tif} goes beside it; with a
     * {@code qcFolder} each image's QC map goes there as {@code <name>_qc.tif} with its {@code .csv}.
     *
     * @param qcFolder {@code null} for no QC maps
     * @param precision as {@code restore --precision}; the log names the one used and why
     * @throws CancellationException if {@code progress} asked to stop; finished files stay
     */
    FolderReport restoreFolder(Path input, Path output, String model, RestoreRequest request, boolean tta, Path qcFolder,
            Device device, Precision precision, RestoreProgress progress)
            throws BadInputException, BundleException, RuntimeUnavailableException, IOException {
        if (!Files.isDirectory(input)) {
            throw new BadInputException("Input folder " + input + " does not exist or is not a folder");
        }
        RestoreSession resolved = RestoreSession.resolve(store, model, request, tta, qcFolder != null);
        DataConsistency check = resolved.qc();
        try (RestoreSession session = resolved.load(device, precision)) {
            BundleModel m = session.model();
            progress.started(m.name(), m.device());
            progress.message("Precision: " + m.precision());
            Restorer restorer = session.restorer(cancellable(progress));
            if (check != null) {
                progress.message("QC maps in " + qcFolder + ", degraded with " + check.describe());
            }
            return restorer.restoreFolder(input, output, qcFolder);
        }
    }

    private long budget() {
        if (memoryBudget >= 0) {
            return memoryBudget;
        }
        return (IJ.maxMemory() - IJ.currentMemory()) / 2;
    }

    /** The result, uncertainty and QC map (null when off) written to temporary TIFFs and opened as virtual stacks. */
    private static ImagePlus[] restoreToTemporaryFiles(Restorer restorer, ImageJStackSource source,
            RestoreProgress progress, QcTable table) throws BadInputException, IOException {
        Path tmp = Files.createTempFile("decrappify-", ".tif");
        tmp.toFile().deleteOnExit();
        Path spread = Restorer.uncertaintyFile(tmp);
        Path map = restorer.qc() == null ? null : tmp.resolveSibling(tmp.getFileName().toString().replace(".tif", "_qc.tif"));
        spread.toFile().deleteOnExit();
        if (map != null) {
            map.toFile().deleteOnExit();
            QcTable.csvFor(map).toFile().deleteOnExit();
        }
        progress.message("Output larger than half the free memory: writing " + tmp + ", opened as a virtual stack");
        restorer.restore(source, tmp, map).rows().forEach(table::add);
        return new ImagePlus[] {openVirtual(tmp), restorer.tta() ? openVirtual(spread) : null,
                map == null ? null : openVirtual(map)};
    }

    private static ImagePlus openVirtual(Path file) throws IOException {
        ImagePlus out = IJ.openVirtual(file.toString());
        if (out == null) {
            throw new IOException("cannot reopen the restored image " + file);
        }
        return out;
    }

    /** Checks for cancellation before each tile and plane, so a stop takes at most one tile's time. */
    private static RestoreListener cancellable(RestoreProgress progress) {
        return new RestoreListener() {
            @Override
            public void plane(int done, int total) {
                check();
                progress.plane(done, total);
            }

            @Override
            public void tile(int done, int total) {
                check();
                progress.tile(done, total);
            }

            @Override
            public void message(String text) {
                progress.message(text);
            }

            private void check() {
                if (progress.cancelRequested()) {
                    throw new CancellationException("Restoring canceled");
                }
            }
        };
    }

    /** The output's calibration: pixel size ÷ scale; an uncalibrated input stays uncalibrated (1 pixel). */
    private static Calibration scaled(Calibration cal, int scale) {
        Calibration c = cal.copy();
        if (!calibrated(cal)) {
            return c;
        }
        c.pixelWidth /= scale;
        c.pixelHeight /= scale;
        // Origins are in pixels: the same physical origin is s times as many output pixels away.
        c.xOrigin *= scale;
        c.yOrigin *= scale;
        return c;
    }

    /** A physical unit, as {@link io.github.decrappify.image.Calibration#isCalibrated()} decides for files. */
    static boolean calibrated(Calibration cal) {
        String unit = cal.getUnit();
        return unit != null && !unit.isEmpty() && !unit.equals("pixel") && !unit.equals("pixels");
    }

    private static void copySliceLabels(ImageStack from, ImageStack to) {
        if (from.size() != to.size() || to.isVirtual()) {
            return;
        }
        for (int i = 1; i <= from.size(); i++) {
            String label = from.getSliceLabel(i);
            if (label != null) {
                to.setSliceLabel(label, i);
            }
        }
    }

    /** Multi-channel inputs give composites in the input's mode and LUTs; display ranges fit the output. */
    private static ImagePlus display(ImagePlus input, ImagePlus out) {
        ImagePlus result = out;
        if (out.getNChannels() > 1) {
            int mode = input.isComposite() ? ((CompositeImage) input).getMode() : IJ.COMPOSITE;
            CompositeImage composite = new CompositeImage(out, mode);
            if (input.isComposite()) {
                for (int c = 1; c <= out.getNChannels(); c++) {
                    composite.setChannelLut(((CompositeImage) input).getChannelLut(c), c);
                }
            }
            result = composite;
        }
        if (out.getNSlices() > 1 || out.getNFrames() > 1 || out.getNChannels() > 1) {
            result.setOpenAsHyperStack(true);
        }
        if (result instanceof CompositeImage composite) {
            composite.resetDisplayRanges();
        } else {
            result.resetDisplayRange();
        }
        return result;
    }
}
