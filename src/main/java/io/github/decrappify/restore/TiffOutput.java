package io.github.decrappify.restore;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.ImageSources;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.TiffStackWriter;
import io.github.decrappify.qc.DataConsistency;
import io.github.decrappify.qc.QcTable;
import io.github.decrappify.tile.TileModel;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Restorer}'s restoration into TIFF files: the result, its uncertainty map (TTA) and its QC map with the
 * CSV beside it. Every file written obeys the {@link OutputPolicy}; each is written to a hidden temporary file and
 * renamed when complete, the checks before the result, so a complete result means complete checks.
 */
final class TiffOutput {

    private final Restorer restorer;
    private final TileModel model;
    private final RestoreSettings settings;
    private final RestoreListener listener;
    private final boolean tta;
    private final DataConsistency qc;

    TiffOutput(Restorer restorer) {
        this.restorer = restorer;
        this.model = restorer.model();
        this.settings = restorer.settings();
        this.listener = restorer.listener();
        this.tta = restorer.tta();
        this.qc = restorer.qc();
    }

    /** See {@link Restorer#restoreFile(Path, Path, Path)}. */
    Restorer.Outcome restoreFile(Path input, Path output, Path qcMap) throws BadInputException, IOException {
        Path in = input.toAbsolutePath().normalize();
        Path out = output.toAbsolutePath().normalize();
        if (Files.isDirectory(out)) {
            throw new BadInputException("Output " + out + " is a folder; give a file name, or a folder as input too");
        }
        TiffStackWriter.requireTiffName("Output", out);
        Path qcOut = qcTarget(qcMap, out);
        List<Path> targets = new ArrayList<>(List.of(out));
        if (tta) {
            targets.add(Restorer.uncertaintyFile(out));
        }
        if (qcOut != null) {
            targets.add(qcOut);
            targets.add(QcTable.csvFor(qcOut)); // the QC table is an output too: same overwrite rule
        }
        OutputPolicy policy = OutputPolicy.of(settings);
        for (Path target : targets) {
            if (!policy.overwrite() && (in.equals(target) || sameExistingFile(in, target))) {
                throw new BadInputException("Output " + target + " is the input file; choose another output or allow overwriting");
            }
        }
        try (ImageStackSource source = ImageSources.open(in)) {
            List<Path> existing = targets.stream().filter(Files::exists).toList();
            // Opening existing TIFFs to compare shapes costs time: only done when they might be skipped.
            OutputPolicy.Existing state = existing.isEmpty() ? OutputPolicy.Existing.NONE
                    : !policy.needsToCheck() ? OutputPolicy.Existing.UNCHECKED
                    : allComplete(source.shape(), out, qcOut) ? OutputPolicy.Existing.COMPLETE
                    : OutputPolicy.Existing.DIFFERENT;
            Path first = existing.isEmpty() ? out : existing.get(0);
            String difference = first.equals(out) && existing.size() == targets.size() ? " but does not match this input"
                    : " but the outputs are incomplete";
            if (policy.decide(first, state, difference) == OutputPolicy.Action.SKIP) {
                listener.message(OutputPolicy.skipped(in, out));
                return Restorer.Outcome.SKIPPED;
            }
            restore(source, out, qcOut);
            return Restorer.Outcome.RESTORED;
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
        if (q.equals(out) || table.equals(out) || (tta && (q.equals(Restorer.uncertaintyFile(out)) || table.equals(Restorer.uncertaintyFile(out))))) {
            throw new BadInputException("QC map " + q + " would replace the restored image; choose another name");
        }
        return q;
    }

    private boolean allComplete(StackShape input, Path out, Path qcOut) {
        StackShape shape = settings.outputShape(input);
        return isComplete(out, shape)
                && (!tta || isComplete(Restorer.uncertaintyFile(out), shape.asFloat()))
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

    QcTable restore(ImageStackSource source, Path output, Path qcMap) throws BadInputException, IOException {
        PlaneLimits.requireLargeEnough(model, source);
        // The uncertainty and QC maps are float whatever the output type.
        PlaneLimits.requireOutputPlaneFits(model, source, Integer.MAX_VALUE, tta || qc != null ? 4 : settings.outputShape(source.shape()).bytesPerPixel(),
                "a TIFF plane can hold (2 GiB); write OME-Zarr (-o NAME.ome.zarr), which is stored in blocks, or crop the input");
        Path out = output.toAbsolutePath().normalize();
        Path qcOut = qcTarget(qcMap, out);
        requireWritableFolder(out.getParent());
        if (qcOut != null) {
            requireWritableFolder(qcOut.getParent());
        }
        StackShape shape = settings.outputShape(source.shape());
        QcTable table = new QcTable();
        try (TiffStackWriter writer = openWriter(out, shape, source.calibration().scaled(model.scale()), restorer.provenance(source));
                TiffStackWriter spread = !tta ? null : openWriter(Restorer.uncertaintyFile(out), shape.asFloat(),
                        source.calibration().scaled(model.scale()), "Uncertainty of " + out.getFileName()
                                + ": standard deviation of the restorations of the 8 flips/rotations (output units); "
                                + restorer.provenance(source));
                TiffStackWriter map = qcOut == null ? null : openWriter(qcOut, source.shape().asFloat(),
                        source.calibration(), "Data-consistency error map of " + out.getFileName()
                                + ": |input - fitted degraded restoration| (input units), degraded with "
                                + qc.describe() + "; " + restorer.provenance(source))) {
            CheckSinks checks = new CheckSinks(spread == null ? null : spread::writePlane, map == null ? null
                    : (c, z, t, r) -> {
                        map.writePlane(c, z, t, r.errorMap());
                        table.add(QcTable.Row.of(c, z, t, r));
                    });
            restorer.restore(source, writer::writePlane, checks);
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

    private static TiffStackWriter openWriter(Path out, StackShape shape, io.github.decrappify.image.Calibration calibration,
            String info) throws BadInputException, IOException {
        try {
            return new TiffStackWriter(out, shape, calibration, info);
        } catch (FileSystemException e) {
            throw new BadInputException("Cannot write " + out + " (" + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName())
                    + "); choose another output folder", e);
        }
    }

    static void requireWritableFolder(Path folder) throws BadInputException {
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
}
