package io.github.decrappify.cli;

import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.model.Npy;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.LoadedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code decrappify models}: list, inspect, check, install and export model bundles. {@code --models-dir}
 * is accepted before or after the sub-command ({@code models --models-dir D list} or {@code models list
 * --models-dir D}).
 */
@Command(name = "models", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Manage model bundles: the user store ($DECRAPPIFY_MODELS or ~/.decrappify/models) and the models"
                + " shipped in the installation's models/ folder."},
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Validate.class,
                ModelsCommand.Import.class, ModelsCommand.Export.class})
public final class ModelsCommand implements Callable<Integer> {

    /** Relative tolerance of {@code validate}: max |difference| ≤ TOLERANCE · range of the expected output. */
    public static final double TOLERANCE = 1e-4;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    /** Without a sub-command: the usage, and a non-zero exit so a typo'd script notices. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The {@code --models-dir} option, shared by the group and each sub-command. */
    static final class StoreOption {
        @Option(names = "--models-dir", paramLabel = "DIR",
                description = "User model store (default $DECRAPPIFY_MODELS or ~/.decrappify/models).")
        Path modelsDir;
    }

    /** Base of the sub-commands: the effective store and the output writer. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        StoreOption own;

        ModelStore store() {
            return Stores.store(own.modelsDir != null ? own.modelsDir : parent.store.modelsDir);
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List installed models (user store first, then bundled).")
    static final class ListModels extends Sub {
        @Override
        public Integer call() {
            ModelStore s = store();
            List<ModelStore.Entry> entries = s.list();
            PrintWriter out = out();
            if (entries.isEmpty()) {
                out.println("no models installed (user store: " + s.userDir() + "); import one with 'decrappify models import ZIP'");
                return 0;
            }
            String format = "%-24s %-5s %-8s %-14s %-8s %s%n";
            out.printf(Locale.ROOT, format, "NAME", "SCALE", "MODALITY", "LICENCE", "STORE", "LOCATION");
            for (ModelStore.Entry e : entries) {
                String store = e.bundled() ? "bundled" : "user";
                if (e.problem() != null) {
                    out.printf(Locale.ROOT, format, e.name(), "-", "-", "-", store, e.location() + "  (unusable: " + e.problem() + ")");
                } else {
                    out.printf(Locale.ROOT, format, e.name(), "x" + e.scale(), e.modality().yamlName(), e.license(), store,
                            e.location());
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a model's card: description, scale, licence, training data, validation metrics, tiling.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "MODEL", description = "Installed model name, bundle folder or .zip.")
        String model;

        @Override
        public Integer call() throws BundleException {
            ModelBundle bundle = store().resolve(model);
            BundleSpec s = bundle.spec();
            PrintWriter out = out();
            out.println("name:         " + s.name() + " (version " + s.version() + ")");
            out.println("description:  " + s.description());
            out.println("scale:        x" + s.scale() + (s.isDenoising() ? " (denoising)" : " super-resolution"));
            out.println("modality:     " + s.modality().yamlName());
            out.println("licence:      " + s.license());
            out.println("authors:      " + String.join(", ", s.authors().stream().map(BundleSpec.Author::name).toList()));
            out.println("input:        " + s.inputChannels() + " frame(s)" + (s.inputChannels() > 1 ? " along " + s.frameAxis().yamlName() : "")
                    + ", sizes " + s.minimumSize() + " + k*" + s.sizeMultiple() + " px, normalised to percentiles "
                    + s.normalisation().lowPercentile() + "-" + s.normalisation().highPercentile());
            out.println("tiling:       tile " + s.tile() + ", halo " + s.halo() + " LR px");
            Map<String, Object> training = s.training();
            out.println("training data: " + describe(training.get("data")));
            if (training.get("data_note") instanceof String note && !note.isBlank()) {
                out.println("data note:    " + note);
            }
            if (training.get("steps") != null) {
                out.println("steps:        " + training.get("steps"));
            }
            if (training.get("validation_metrics") instanceof Map<?, ?> metrics && !metrics.isEmpty()) {
                out.println("validation metrics:");
                metrics.forEach((k, v) -> out.println("  " + k + ": " + v));
            } else {
                out.println("validation metrics: none recorded");
            }
            out.println("location:     " + bundle.source());
            return 0;
        }

        private static String describe(Object data) {
            if (data == null) {
                return "not recorded";
            }
            if (data instanceof List<?> list) {
                // Training runs may list thousands of files: the count and a few names are enough here.
                String head = String.join(", ", list.stream().limit(3).map(String::valueOf).toList());
                return list.size() <= 3 ? head : list.size() + " files (" + head + ", ...)";
            }
            return String.valueOf(data);
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check a model: checksums and op allow-list, then run its test input and compare with its"
                    + " test output (max |difference| <= 1e-4 x output range).", "Exit 1 if anything differs."})
    static final class Validate extends Sub {
        @Parameters(paramLabel = "MODEL", description = "Installed model name, bundle folder or .zip.")
        String model;

        @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
        String device;

        @Override
        public Integer call() throws Exception {
            ModelBundle bundle = store().resolve(model);
            PrintWriter out = out();
            out.println(bundle.spec().name() + ": checksums and op allow-list ok");
            Npy.Tensor in = bundle.testInput();
            Npy.Tensor expected = bundle.testOutput();
            int[] s = in.shape();
            float[] actual;
            try (LoadedModel m = LoadedModel.load(bundle.savedModelDir(), Device.parse(device))) {
                LoadedModel.Output o = m.predict(in.data(), s[0], s[1], s[2], s[3]);
                if (!Arrays.equals(toInt(o.shape()), expected.shape())) {
                    throw new BundleException("model '" + bundle.spec().name() + "': output shape "
                            + Arrays.toString(o.shape()) + " differs from test_output.npy's "
                            + Arrays.toString(expected.shape()) + "; the bundle is inconsistent — re-export it");
                }
                actual = o.data();
            }
            Comparison c = Comparison.of(expected.data(), actual);
            out.printf(Locale.ROOT, "%s: test output max |diff| %.3g, mean |diff| %.3g; tolerance %.3g (%.0e x range %.4g)%n",
                    bundle.spec().name(), c.maxAbs(), c.meanAbs(), c.tolerance(), TOLERANCE, c.range());
            if (!c.ok()) {
                spec.commandLine().getErr().printf(Locale.ROOT, "%s: error: model '%s' does not reproduce its test output"
                        + " (max |diff| %.3g > %.3g); the weights or test tensors were changed, or this TensorFlow"
                        + " build computes differently — re-export the model%n", spec.qualifiedName(),
                        bundle.spec().name(), c.maxAbs(), c.tolerance());
                return 1;
            }
            out.println(bundle.spec().name() + ": valid");
            return 0;
        }

        private static int[] toInt(long[] shape) {
            return Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
        }
    }

    /** Element-wise agreement of a model output with the expected one. */
    record Comparison(double maxAbs, double meanAbs, double range, double tolerance) {
        static Comparison of(float[] expected, float[] actual) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double max = 0;
            double sum = 0;
            for (int i = 0; i < expected.length; i++) {
                lo = Math.min(lo, expected[i]);
                hi = Math.max(hi, expected[i]);
                double d = Math.abs((double) expected[i] - actual[i]);
                // A NaN output counts as infinitely wrong, so the printed maximum says why it failed.
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
                sum += d;
            }
            // A flat expected output has range 0: fall back to its magnitude so the check stays meaningful.
            double range = hi > lo ? hi - lo : Math.max(Math.abs(hi), 1);
            return new Comparison(max, sum / Math.max(1, expected.length), range, TOLERANCE * range);
        }

        boolean ok() {
            return maxAbs <= tolerance;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Check a bundle .zip completely and install it in the user store (nothing is installed if any check fails).")
    static final class Import extends Sub {
        @Parameters(paramLabel = "ZIP", description = "Bundle zip.")
        Path zip;

        @Option(names = "--overwrite", description = "Replace an installed model of the same name.")
        boolean overwrite;

        @Override
        public Integer call() throws BundleException {
            ModelStore s = store();
            ModelBundle installed = s.importZip(zip, overwrite);
            out().println("installed " + installed.spec().name() + " (x" + installed.spec().scale() + ", "
                    + installed.spec().modality().yamlName() + ", " + installed.spec().license() + ") in "
                    + installed.directory());
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write a model as a bundle .zip (to share or archive it).")
    static final class Export extends Sub {
        @Parameters(index = "0", paramLabel = "MODEL", description = "Installed model name or bundle folder.")
        String model;

        @Parameters(index = "1", paramLabel = "ZIP", description = "Zip file to write (must not exist).")
        Path zip;

        @Override
        public Integer call() throws BundleException {
            store().export(model, zip);
            out().println("exported " + model + " to " + zip);
            return 0;
        }
    }
}
