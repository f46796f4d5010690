package io.github.decrappify.cli;

import io.github.decrappify.image.Json;
import io.github.decrappify.image.Folders;
import io.github.decrappify.bench.Benchmarks;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.runtime.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code decrappify bench}: measures what the README's performance section claims. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Benchmark inference (whole vs tiled; GFLOP/s and the ratio to a MatMul peak measured in the same run), end-to-end stack restore (also with QC map and TTA), cold start"
                + " (runtime, model, first run; fresh JVMs), peak heap and training speed.",
                "Input: cardona stack2_raw sections 00-07 area-downsampled x4 (from ../shared/data)."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, defaultValue = "em-x4-unet-s", description = "unet-s bundle to time (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--shared", paramLabel = "DIR", description = "The shared folder with data/ (default: ../shared beside the installation).")
    Path shared;

    @Option(names = "--repeats", defaultValue = "5", description = "Repeats per measurement; medians are reported (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--no-heap", description = "Skip the small-heap stack restore (a child JVM).")
    boolean noHeap;

    @Option(names = "--only", split = ",", paramLabel = "PART",
            description = "Run only these parts: ${COMPLETION-CANDIDATES} (default: all).")
    java.util.Set<Benchmarks.Part> only;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "auto|fp32|bf16",
            description = {"Inference precision (default ${DEFAULT-VALUE}: what restore uses by default on this machine;"
                    + " the report names it and why). Training is timed in fp32."})
    String precision;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Intra-op threads of inference, the MatMul peak and training (default ${DEFAULT-VALUE} = all cores).")
    int threads;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        BadOptionException.require("--repeats", repeats, 1, 1000);
        BadOptionException.require("--threads", threads, 0, 4096);
        Precision prec = BadOptionException.precision(precision);
        if (threads > 0) {
            // read by DJL when it configures each model's session, so set before anything loads
            System.setProperty("ai.djl.tensorflow.num_intraop_threads", Integer.toString(threads));
        }
        ModelBundle bundle = Stores.store(null).resolve(model);
        Path sharedDir = shared != null ? shared
                : Paths.get(System.getProperty("decrappify.home", "."), "..", "shared").normalize();
        Path work = Files.createTempDirectory("decrappify-bench");
        try {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter log = spec.commandLine().getErr();
            // what is being measured goes to the log (stderr), also with --json; the results to stdout
            Benchmarks b = new Benchmarks(bundle, sharedDir, work, repeats, line -> {
                log.println(line);
                log.flush();
            }, prec, threads);
            Map<String, Object> r = only != null && !only.isEmpty() ? b.run(only) : b.run(!noHeap);
            if (json) {
                out.println(toJson(r));
            } else {
                r.forEach((k, v) -> out.printf(Locale.ROOT, "%-36s %s%n", k, v));
            }
            out.flush();
            return 0;
        } finally {
            Folders.deleteTreeQuietly(work);
        }
    }

    /** One JSON object; a figure that could not be measured (NaN) is {@code null}. */
    static String toJson(Map<String, Object> r) {
        return Json.compact(r);
    }
}
