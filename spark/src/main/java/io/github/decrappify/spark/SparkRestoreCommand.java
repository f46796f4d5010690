package io.github.decrappify.spark;

import io.github.decrappify.cli.TileOptions;
import io.github.decrappify.model.Caches;
import io.github.decrappify.cli.RestoreCommand;
import io.github.decrappify.cli.ZarrOutputOptions;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.model.SafeZip;
import io.github.decrappify.restore.RestoreListener;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.restore.RestoreSession;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.volume.VolumeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spark-restore}: block-wise restoration of a volume into OME-Zarr on Spark. */
@Command(name = "spark-restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Restore a volume (OME-Zarr or TIFF stack) into an OME-Zarr on Apache Spark.",
                "Blocks run as Spark tasks that write their output chunks directly; running the",
                "same command again resumes an interrupted job. The output equals what",
                "'decrappify restore' writes for the same input. INPUT, OUTPUT and MODEL must be",
                "on storage that every executor sees (a shared file system)."})
public final class SparkRestoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "Installed model name or bundle folder (on shared storage for a cluster).")
    String model;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "INPUT", description = "OME-Zarr image or TIFF stack.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTPUT",
            description = "OME-Zarr output folder (name ending .zarr or .ome.zarr).")
    Path output;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: as spark-submit sets it, else local[*]: all cores of this machine).")
    String master;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Spark tasks per stage (default: 4 per executor core).")
    int partitions;

    @Mixin
    TileOptions tiling;

    @Option(names = "--device", defaultValue = "auto",
            description = "auto, cpu or gpu, on every executor (default ${DEFAULT-VALUE}: its GPU when usable).")
    String device;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "auto|fp32|bf16",
            description = {"Number format of inference on each executor (default ${DEFAULT-VALUE}): auto = bf16 where"
                    + " the executor's CPU computes it natively (avx512_bf16/amx_bf16) and the bundle's recorded bf16 check"
                    + " is within its bounds (models check-precision), else fp32; as restore's --precision."})
    String precision;

    @Option(names = "--out-type", defaultValue = "float", paramLabel = "float|same",
            description = "32-bit float output or the input's bit depth (default ${DEFAULT-VALUE}).")
    String outType;

    @Mixin
    ZarrOutputOptions zarr;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Option(names = "--skip-existing", description = "Leave a complete existing output alone.")
    boolean skipExisting;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "User model store (default $DECRAPPIFY_MODELS or ~/.decrappify/models).")
    Path modelsDir;

    @Option(names = {"-q", "--quiet"}, description = "Only errors.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        RestoreSettings.OutType type = RestoreCommand.outType(outType);
        io.github.decrappify.cli.BadOptionException.device(device);
        io.github.decrappify.cli.BadOptionException.precision(precision);
        if (!Files.exists(input)) {
            throw new IllegalArgumentException("input not found: " + input + "; check the path");
        }
        // Resolved as 'decrappify restore' resolves it; the model is loaded on each executor, not here.
        RestoreSession session = RestoreSession.resolve(store(modelsDir), model,
                new RestoreRequest(tiling.tile(), tiling.overlap(), type, overwrite, skipExisting), false, false);
        ModelBundle bundle = session.bundle();
        RestoreSettings settings = session.settings();
        VolumeOptions options = zarr.volumeOptions();
        ModelSource source = new BundleModelSource(bundle.directory().toAbsolutePath().toString(), device,
                session.weightsId(), precision);
        SparkConf conf = new SparkConf().setAppName("decrappify spark-restore " + input.getFileName());
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            log("model %s (x%d) on %s, device %s, precision %s; tile %d, overlap %d LR px", bundle.spec().name(),
                    bundle.spec().scale(), sc.master(), device, precision, settings.tile(), settings.overlap());
            SparkRestore.Result r = SparkRestore.run(sc, input, output, source, settings, options, partitions,
                    new RestoreListener() {
                        @Override
                        public void message(String text) {
                            log("%s", text);
                        }
                    });
            log("%s %s in %.1f s", r.outcome() == io.github.decrappify.restore.Restorer.Outcome.SKIPPED ? "skipped"
                    : "restored", output, r.seconds());
            return 0;
        }
    }

    /** The same model lookup as {@code decrappify restore}. */
    static ModelStore store(Path modelsDir) {
        String home = System.getProperty("decrappify.home");
        Path bundled = home != null ? Paths.get(home, "models") : Paths.get("models");
        Path dir = Files.isDirectory(bundled) ? bundled : null;
        return modelsDir == null ? ModelStore.standard(dir)
                : new ModelStore(modelsDir, dir, Caches.root(), SafeZip.DEFAULT);
    }

    private void log(String format, Object... args) {
        if (!quiet) {
            spec.commandLine().getErr().println(String.format(Locale.ROOT, format, args)); // the log: stderr
            spec.commandLine().getErr().flush();
        }
    }
}
