package io.github.decrappify.cli;

import io.github.decrappify.image.AtomicFiles;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageSources;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.RdfYaml;
import io.github.decrappify.runtime.Bf16Measurement;
import io.github.decrappify.train.Crops;
import io.github.decrappify.train.TrainJob;
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
                ModelsCommand.CheckBf16.class, ModelsCommand.Import.class, ModelsCommand.Export.class})
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

    @Command(name = "check-precision", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
            description = {"Measure bf16 against fp32 inference of a model on this CPU (needs native bf16: avx512_bf16 or"
                    + " amx_bf16) and record it in the bundle's rdf.yaml (config.decrappify.bf16), where restore"
                    + " --precision auto reads it.",
                    "Measured on the test tensor and, with --image, an image (with --truth also the PSNR change against"
                    + " the truth). Bounds: max |bf16 - fp32| <= 1 %% of the fp32 output's range, |PSNR change| <= 0.05 dB.",
                    "Exit 1 if a bound is exceeded (recorded all the same, so auto keeps fp32) or the CPU has no native bf16"
                    + " (nothing written)."})
    static final class CheckBf16 extends Sub {
        @Parameters(paramLabel = "MODEL", description = "Installed model name or bundle folder (not a .zip: the folder is rewritten).")
        String model;

        @Option(names = "--image", paramLabel = "LR", description = "A 2D LR image the model takes (one channel); its"
                + " top-left corner of the largest valid size is used.")
        Path image;

        @Option(names = "--truth", paramLabel = "HR", description = "The truth of --image (scale times larger, same"
                + " field), for the PSNR change against it.")
        Path truth;

        @Option(names = "--dry-run", description = "Measure and print, write nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            if (truth != null && image == null) {
                throw new BadOptionException("--truth needs --image (the LR image it is the truth of)");
            }
            ModelBundle bundle = store().resolve(model);
            BundleSpec spec = bundle.spec();
            if (!dryRun && !bundle.source().toAbsolutePath().normalize().equals(bundle.directory().toAbsolutePath().normalize())) {
                throw new BadOptionException("check-precision rewrites the bundle's rdf.yaml: give the bundle folder or an"
                        + " installed model, not " + bundle.source() + " (or use --dry-run)");
            }
            FloatPlane lr = null;
            FloatPlane hr = null;
            if (image != null) {
                if (spec.inputChannels() != 1) {
                    throw new BadOptionException("--image: model '" + spec.name() + "' takes " + spec.inputChannels()
                            + " adjacent frames; --image takes one-frame models only");
                }
                lr = onePlane(image, "--image");
                int w = validSize(spec, lr.width());
                int h = validSize(spec, lr.height());
                if (w < 0 || h < 0) {
                    throw new BadOptionException("--image " + image.getFileName() + " is " + lr.width() + "x" + lr.height()
                            + "; model '" + spec.name() + "' needs at least " + spec.minimumSize() + " px a side");
                }
                lr = Crops.crop(TrainJob.normalise(lr, spec.normalisation()), 0, 0, w, h);
                if (truth != null) {
                    hr = onePlane(truth, "--truth");
                    int s = spec.scale();
                    if (hr.width() < w * s || hr.height() < h * s) {
                        throw new BadOptionException("--truth " + truth.getFileName() + " is " + hr.width() + "x"
                                + hr.height() + "; it must cover " + w * s + "x" + h * s + " (scale " + s + " x the "
                                + w + "x" + h + " used of --image)");
                    }
                    hr = Crops.crop(TrainJob.normalise(hr, spec.normalisation()), 0, 0, w * s, h * s);
                }
            }
            BundleSpec.Bf16Check c = Bf16Measurement.measure(bundle.savedModelDir(), bundle.testInput(), lr, hr,
                    image == null ? null : image.getFileName().toString());
            String name = TerminalText.safe(spec.name());
            if (c == null) {
                log().println(this.spec.qualifiedName() + ": error: this CPU has no native bf16 (no avx512_bf16 or amx_bf16"
                        + " in /proc/cpuinfo), so bf16 would be emulated or skipped; run check-precision on a CPU that has it."
                        + " Nothing written");
                return 1;
            }
            PrintWriter out = out();
            out.println(name + ": bf16 vs fp32 on " + TerminalText.safe(c.measuredOn()) + ": " + c.summary());
            String bounds = String.format(Locale.ROOT, "max <= %.0f %% of the range, |PSNR change| <= %.2f dB",
                    100 * BundleSpec.Bf16Check.MAX_REL_DIFF, BundleSpec.Bf16Check.MAX_PSNR_CHANGE_DB);
            out.println(name + ": " + (c.withinBound() ? "within the bounds (" + bounds + ")"
                    : "outside the bounds (" + bounds + "): " + c.problem()));
            if (!dryRun) {
                Path rdf = bundle.directory().resolve(RdfYaml.FILE_NAME);
                AtomicFiles.writeString(rdf, RdfYaml.write(spec.withBf16(c)));
                log().println(TerminalText.safe("recorded in " + rdf));
            }
            return c.withinBound() ? 0 : 1;
        }

        private static FloatPlane onePlane(Path file, String option) throws BadInputException {
            FloatPlane p = ImageSources.readSinglePlane(file);
            if (p.channels() != 1) {
                throw new BadOptionException(option + " " + file.getFileName() + " has " + p.channels()
                        + " channels; give a one-channel image");
            }
            return p;
        }

        /** The largest input edge the model takes that fits in {@code edge}, or -1. */
        static int validSize(BundleSpec spec, int edge) {
            return edge < spec.minimumSize() ? -1
                    : spec.minimumSize() + (edge - spec.minimumSize()) / spec.sizeMultiple() * spec.sizeMultiple();
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
