package io.github.decrappify.cli;

import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.runtime.BundleValidation;
import io.github.decrappify.runtime.Device;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code decrappify models list|show|validate|import|export}. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List, inspect, validate, import and export model bundles.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Validate.class,
                ModelsCommand.Import.class, ModelsCommand.Export.class})
public final class ModelsCommand {

    @Option(names = "--models-dir", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "User model store (default $DECRAPPIFY_MODELS or ~/.decrappify/models).")
    Path modelsDir;

    ModelStore store() {
        return Stores.store(modelsDir);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Installed models (user store, then bundled).")
    static final class ListModels implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Override
        public Integer call() {
            System.out.printf(Locale.ROOT, "%-24s %5s %-5s %-34s %s%n", "name", "scale", "kind", "licence", "location");
            for (ModelStore.Entry e : parent.store().list()) {
                if (e.problem() != null) {
                    System.out.printf(Locale.ROOT, "%-24s unusable: %s (%s)%n", e.name(), e.problem(), e.location());
                } else {
                    System.out.printf(Locale.ROOT, "%-24s %5s %-5s %-34s %s%s%n", e.name(), "x" + e.scale(),
                            e.modality().yamlName(), e.license(), e.location(), e.bundled() ? " (bundled)" : "");
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Model card summary: data, scale, metrics, licence.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "MODEL")
        String model;

        @Override
        public Integer call() throws Exception {
            ModelBundle b = parent.store().resolve(model);
            BundleSpec s = b.spec();
            System.out.println(s.name() + " " + s.version() + " — " + s.description());
            System.out.printf(Locale.ROOT, "scale x%d, %s, input frames %d, licence %s%n", s.scale(), s.modality().yamlName(),
                    s.inputChannels(), s.license());
            System.out.printf(Locale.ROOT, "tile %d, halo %d LR px (grid %d), normalisation percentiles %.1f-%.1f%n", s.tile(),
                    s.halo(), s.sizeMultiple(), s.normalisation().lowPercentile(), s.normalisation().highPercentile());
            System.out.println("crappifier: " + s.crappifier());
            Object note = s.training().get("data_note");
            if (note != null) {
                System.out.println("training data: " + note);
            }
            Object metrics = s.training().get("validation_metrics");
            if (metrics instanceof Map<?, ?> m) {
                System.out.println("validation metrics:");
                m.forEach((k, v) -> System.out.println("  " + k + ": " + v));
            }
            Object command = s.training().get("command");
            if (command != null) {
                System.out.println("reproduce: " + command);
            }
            System.out.println("bundle: " + b.directory() + " (model card: README.md, cover: cover.png)");
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Verify checksums and ops, run the test input and compare with the test output.")
    static final class Validate implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "MODEL")
        String model;

        @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
        String device;

        @Override
        public Integer call() throws Exception {
            ModelBundle b = parent.store().resolve(model);
            BundleValidation.Result r = BundleValidation.run(b, Device.parse(device));
            System.out.printf(Locale.ROOT, "%s: checksums and ops OK; test output max |diff| %.3g of range %.3g (tolerance %.0e of range) on %s: %s%n",
                    b.spec().name(), r.maxAbsDiff(), r.range(), BundleValidation.TOLERANCE, r.device(),
                    r.passed() ? "PASSED" : "FAILED");
            if (!r.passed()) {
                System.err.println("decrappify models validate: error: " + b.spec().name()
                        + " does not reproduce its test output; the bundle is corrupt or needs another TensorFlow version");
            }
            return r.passed() ? 0 : 1;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Validate a bundle .zip and install it in the user store.")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "ZIP")
        Path zip;

        @Option(names = "--overwrite", description = "Replace an installed model of the same name.")
        boolean overwrite;

        @Override
        public Integer call() throws Exception {
            ModelBundle b = parent.store().importZip(zip, overwrite);
            System.out.println("installed " + b.spec().name() + " in " + b.directory());
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write an installed model as a bundle .zip.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Parameters(index = "1", paramLabel = "ZIP")
        Path zip;

        @Override
        public Integer call() throws Exception {
            parent.store().export(model, zip);
            System.out.println("exported " + model + " to " + zip);
            return 0;
        }
    }
}
