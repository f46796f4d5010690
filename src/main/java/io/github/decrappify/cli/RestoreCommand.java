package io.github.decrappify.cli;

import io.github.decrappify.image.ImageSources;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.restore.FolderReport;
import io.github.decrappify.restore.RestoreListener;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.RestoreSession;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.Precision;
import io.github.decrappify.volume.VolumeOptions;
import io.github.decrappify.volume.VolumeRestore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code decrappify restore}: restore an image, a stack or a folder with a model bundle. */
@Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Restore (super-resolve / denoise) an image, a Z/T/C stack or a folder of images.",
                "Stacks are streamed plane by plane; output is written to a temporary file and renamed when complete.",
                "OME-Zarr (NGFF 0.4) inputs and outputs are read and written chunk by chunk in bounded memory;",
                "an interrupted OME-Zarr restoration resumes when the same command is run again."})
public final class RestoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "Installed model name, bundle folder or .zip (see 'decrappify models list').")
    String model;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "INPUT", description = "Image file or folder.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTPUT",
            description = "Output TIFF file, OME-Zarr folder (name ending .zarr or .ome.zarr), or folder when INPUT is a folder.")
    Path output;

    @Mixin
    TileOptions tiling;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "auto|fp32|bf16",
            description = {"Number format of inference (default ${DEFAULT-VALUE}): auto = bf16 where the CPU computes it natively"
                    + " (avx512_bf16/amx_bf16) and the bundle's recorded bf16 check is within its bounds (models check-precision), else fp32."})
    String precision;

    @Option(names = "--out-type", defaultValue = "float", paramLabel = "float|same",
            description = "32-bit float output or the input's bit depth (default ${DEFAULT-VALUE}); signed inputs give float.")
    String outType;

    @Option(names = "--qc", paramLabel = "FILE|DIR",
            description = {"Also write the data-consistency QC map: each plane degraded back with the model's crappifier,"
                    + " fitted to the input; |difference| in input units, LR-sized, with RSE/RSP per plane in a .csv beside it.",
                    "A TIFF path for a file input, a folder for a folder input (<name>_qc.tif)."})
    Path qcMap;

    @Option(names = "--tta", description = "Test-time augmentation: average the restorations of the 8 flips/rotations"
            + " (8x slower) and write their per-pixel spread beside the output as <name>_uncertainty.tif.")
    boolean tta;

    @Mixin
    ZarrOutputOptions zarr;

    @Option(names = "--overwrite", description = "Replace existing outputs (and allow OUTPUT = INPUT).")
    boolean overwrite;

    @Option(names = "--skip-existing", description = "Leave complete existing outputs alone (restartable batches).")
    boolean skipExisting;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "User model store (default $DECRAPPIFY_MODELS or ~/.decrappify/models).")
    Path modelsDir;

    @Option(names = {"-q", "--quiet"}, description = "Only errors.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        RestoreSettings.OutType type = outType(outType);
        Integer tile = tiling.tile();
        Integer overlap = tiling.overlap();
        if (!Files.exists(input)) {
            throw new IllegalArgumentException("input not found: " + input + "; check the path");
        }
        Device dev = BadOptionException.device(device);
        if (!ImageSources.isZarr(output)) { // output names are checked before the model is loaded
            if (Files.isDirectory(input) && !ImageSources.isZarr(input)) {
                BadOptionException.requireFolderName("-o", output);
            } else {
                BadOptionException.requireTiffName("-o", output);
            }
        }
        if (qcMap != null && !Files.isDirectory(input)) {
            BadOptionException.requireTiffName("--qc", qcMap);
        }
        Precision prec = BadOptionException.precision(precision);
        // Checked before loading anything, so a typo costs nothing.
        VolumeOptions zarrOptions = ImageSources.isZarr(output) ? zarr.volumeOptions() : null;
        RestoreSession resolved = RestoreSession.resolve(Stores.store(modelsDir), model,
                new RestoreRequest(tile, overlap, type, overwrite, skipExisting), tta, qcMap != null);
        ModelBundle bundle = resolved.bundle();
        if (zarrOptions != null) {
            try {
                zarrOptions.chunkFor(bundle.spec().scale()); // --chunk 33 for a x2 model: before loading it
            } catch (IllegalArgumentException e) {
                throw new BadOptionException(e.getMessage());
            }
        }
        RestoreSettings settings = resolved.settings();
        long t0 = System.nanoTime();
        try (RestoreSession session = load(resolved, dev, prec)) {
            BundleModel m = session.model();
            log("model %s (x%d, %s) on %s, %s; tile %d, overlap %d LR px", bundle.spec().name(), m.scale(),
                    bundle.spec().modality().yamlName(), m.device(), m.precision(), settings.tile(), settings.overlap());
            Restorer restorer = session.restorer(listener());
            if (ImageSources.isZarr(output) && !ImageSources.isZarr(input) && Files.isDirectory(input)) {
                throw new IllegalArgumentException("folder input goes to a folder of TIFFs; give one image or OME-Zarr as input for an OME-Zarr output");
            }
            if (ImageSources.isZarr(output)) {
                if (tta || qcMap != null) {
                    throw new IllegalArgumentException("--tta and --qc work with TIFF outputs; restore to a .tif to check a volume");
                }
                Restorer.Outcome outcome = new VolumeRestore(session, zarrOptions, listener()).restore(input, output);
                log("%s %s in %.1f s", outcome == Restorer.Outcome.SKIPPED ? "skipped" : "restored", output,
                        (System.nanoTime() - t0) / 1e9);
                return 0;
            }
            if (tta) {
                log("test-time augmentation: 8 passes per plane, uncertainty maps as <name>_uncertainty.tif");
            }
            if (qcMap != null) {
                log("QC maps degrade with %s", restorer.qc().describe());
            }
            if (Files.isDirectory(input) && !ImageSources.isZarr(input)) {
                FolderReport r = restorer.restoreFolder(input, output, qcMap);
                log("restored %d, skipped %d, failed %d in %.1f s", r.restored(), r.skipped(), r.failureCount(),
                        (System.nanoTime() - t0) / 1e9);
                for (FolderReport.Failure f : r.failures()) {
                    spec.commandLine().getErr().println("decrappify restore: failed: " + f.input() + ": " + f.reason());
                }
                return r.failureCount() == 0 ? 0 : 1;
            }
            Restorer.Outcome outcome = restorer.restoreFile(input, output, qcMap);
            log("%s %s in %.1f s", outcome == Restorer.Outcome.SKIPPED ? "skipped" : "restored", output,
                    (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    /** A precision the device refuses (bf16 on a GPU) is a bad command line. */
    private static RestoreSession load(RestoreSession session, Device dev, Precision prec) throws Exception {
        try {
            return session.load(dev, prec);
        } catch (IllegalArgumentException e) {
            throw new BadOptionException(e.getMessage());
        }
    }

    private RestoreListener listener() {
        return new RestoreListener() {
            @Override
            public void plane(int done, int total) {
                if (total > 1 && (done == total || done % Math.max(1, total / 20) == 0)) {
                    log("plane %d/%d", done, total);
                }
            }

            /** A large plane (8 tiles or more) reports each quarter, so a long single plane shows progress. */
            @Override
            public void tile(int done, int total) {
                int quarter = (total + 3) / 4;
                if (total >= 8 && (done == total || done % quarter == 0)) {
                    log("tile %d/%d", done, total);
                }
            }

            @Override
            public void message(String text) {
                if (text.startsWith("Warning: ")) {
                    spec.commandLine().getErr().println(text); // --quiet keeps warnings
                } else {
                    log("%s", text);
                }
            }
        };
    }

    /** Progress, device, timings and warnings: the log, on stderr (restore prints no result on stdout). */
    private void log(String format, Object... args) {
        if (!quiet) {
            spec.commandLine().getErr().println(String.format(Locale.ROOT, format, args));
        }
    }

    /** {@code --out-type float|same}, shared with {@code spark-restore}. */
    public static RestoreSettings.OutType outType(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "float" -> RestoreSettings.OutType.FLOAT;
            case "same" -> RestoreSettings.OutType.SAME;
            default -> throw new BadOptionException("--out-type must be float or same, not " + value);
        };
    }
}
