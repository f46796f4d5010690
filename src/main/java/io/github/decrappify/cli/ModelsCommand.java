package io.github.decrappify.cli;

import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.BundleSummary;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.BundleValidation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
@Command(name = "models", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Manage model bundles: the user store ($DECRAPPIFY_MODELS or ~/.decrappify/models) and the models"
                + " shipped in the installation's models/ folder."},
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Validate.class,
                ModelsCommand.Import.class, ModelsCommand.Export.class})
public final class ModelsCommand implements Callable<Integer> {

    /** Relative tolerance of {@code validate}: max |difference| ≤ TOLERANCE · range of the expected output. */
    public static final double TOLERANCE = BundleValidation.TOLERANCE;

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

        /** Results: the listing, the card, the validation report. */
        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** The log: confirmations of what was written, notes. */
        PrintWriter log() {
            return spec.commandLine().getErr();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = {"List installed models (user store first, then bundled).",
                    "A name in both means the user store's model; the bundled one is marked hidden."})
    static final class ListModels extends Sub {
        @Override
        public Integer call() {
            ModelStore s = store();
            List<ModelStore.Entry> entries = s.list();
            PrintWriter out = out();
            if (entries.isEmpty()) {
                log().println("no models installed (user store: " + s.userDir() + "); import one with 'decrappify models import ZIP'");
                return 0;
            }
            String format = "%-24s %-5s %-8s %-14s %-8s %s%n";
            out.printf(Locale.ROOT, format, "NAME", "SCALE", "MODALITY", "LICENCE", "STORE", "LOCATION");
            for (ModelStore.Entry e : entries) {
                String store = e.bundled() ? "bundled" : "user";
                String hidden = e.hidden() ? "  (hidden: the user model of this name is used)" : "";
                if (e.problem() != null) {
                    out.printf(Locale.ROOT, format, TerminalText.safe(e.name()), "-", "-", "-", store,
                            TerminalText.safe(e.location() + "  (unusable: " + e.problem() + ")" + hidden));
                } else {
                    out.printf(Locale.ROOT, format, TerminalText.safe(e.name()), "x" + e.scale(), e.modality().yamlName(),
                            TerminalText.safe(e.license()), store, TerminalText.safe(e.location() + hidden));
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Print a model's card: description, scale, licence, training data, validation metrics, tiling.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "MODEL", description = "Installed model name, bundle folder or .zip.")
        String model;

        @Override
        public Integer call() throws BundleException {
            ModelBundle bundle = store().resolve(model);
            BundleSummary.lines(bundle).stream().map(TerminalText::safe).forEach(out()::println); // metadata is untrusted
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Check a model: checksums and op allow-list, then run its test input and compare with its"
                    + " test output (max |difference| <= 1e-4 x output range).", "Exit 1 if anything differs."})
    static final class Validate extends Sub {
        @Parameters(paramLabel = "MODEL", description = "Installed model name, bundle folder or .zip.")
        String model;

        @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
        String device;

        @Override
        public Integer call() throws Exception {
            Device dev = BadOptionException.device(device); // a bad command line before any output
            ModelBundle bundle = store().resolve(model);
            PrintWriter out = out();
            out.println(bundle.spec().name() + ": checksums and op allow-list ok");
            BundleValidation.Result c = BundleValidation.run(bundle, dev);
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
    }

    @Command(name = "import", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Check a bundle .zip completely and install it in the user store (nothing is installed if any check fails).")
    static final class Import extends Sub {
        @Parameters(paramLabel = "ZIP", description = "Bundle zip.")
        Path zip;

        @Option(names = "--overwrite", description = {"Replace an installed model of the same name, or take the name"
                + " of a bundled model (the imported one is then used for that name)."})
        boolean overwrite;

        @Override
        public Integer call() throws BundleException {
            ModelStore s = store();
            ModelBundle installed = s.importZip(zip, overwrite);
            String name = installed.spec().name();
            log().println(TerminalText.safe("installed " + name + " (x" + installed.spec().scale() + ", "
                    + installed.spec().modality().yamlName() + ", " + installed.spec().license() + ") in "
                    + installed.directory()));
            if (s.isBundledName(name)) {
                log().println(TerminalText.safe("note: '" + name + "' now means this model, not the bundled one of"
                        + " the same name; remove " + installed.directory() + " to use the bundled one again"));
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Write a model as a bundle .zip (to share or archive it).")
    static final class Export extends Sub {
        @Parameters(index = "0", paramLabel = "MODEL", description = "Installed model name or bundle folder.")
        String model;

        @Parameters(index = "1", paramLabel = "ZIP", description = "Zip file to write (must not exist).")
        Path zip;

        @Override
        public Integer call() throws BundleException {
            store().export(model, zip);
            log().println("exported " + model + " to " + zip);
            return 0;
        }
    }
}
