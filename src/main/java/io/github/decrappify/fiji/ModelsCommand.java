package io.github.decrappify.fiji;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.WholeImages;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.BundleSummary;
import io.github.decrappify.model.ModelStore;
import io.github.decrappify.runtime.BundleValidation;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › Decrappify › Decrappify Models…: the installed models and model sharing, as {@code decrappify models}
 * does on the command line. Every line of the answer goes to the Log (prefixed "Decrappify: ").
 * <ul>
 * <li>{@code list}: the user store ({@code $DECRAPPIFY_MODELS}, else {@code ~/.decrappify/models}) and the
 *     models shipped in {@code Fiji.app/models/decrappify};</li>
 * <li>{@code show}: the model card (data, scale, modality, metrics, licence) and its cover image
 *     (LR | restored | HR) as a new image;</li>
 * <li>{@code validate}: checksums and the op allow-list, then the test input re-run and compared with the
 *     test output (max |difference| ≤ 1e-4 of its range);</li>
 * <li>{@code import}: a bundle {@code .zip} from a colleague, checked completely before it is installed in
 *     the user store (a refused zip leaves nothing behind);</li>
 * <li>{@code export}: a model as a bundle {@code .zip} to share.</li>
 * </ul>
 * <pre>
 * run("Decrappify Models...", "action=import zip=/downloads/em-x4-colleague.zip");
 * run("Decrappify Models...", "action=show model=em-x4-colleague");
 * </pre>
 */
@Plugin(type = Command.class, menuPath = "Plugins>Decrappify>Decrappify Models...", attrs = @Attr(name = "help", value = "sharing-models.md"),
        description = "List, inspect, validate, import and export Decrappify model bundles")
public final class ModelsCommand extends DecrappifyCommand {

    static final String LIST = "list";
    static final String SHOW = "show";
    static final String VALIDATE = "validate";
    static final String IMPORT = "import";
    static final String EXPORT = "export";

    @Parameter(label = "Action", choices = {LIST, SHOW, VALIDATE, IMPORT, EXPORT})
    private String action = LIST;

    @Parameter(label = "Model", required = false, description = "For show, validate, export: " + FijiModels.MODEL_DESCRIPTION)
    private String model = FijiModels.DEFAULT_MODEL;

    @Parameter(label = "Bundle .zip", style = "file", required = false,
            description = "For import: the zip to install; for export: the zip to write (must not exist)")
    private File zip;

    @Parameter(label = "Replace an installed model of the same name",
            description = "For import: also needed to take a bundled model's name (the imported model is then used for it)")
    private boolean overwrite = false;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"}, description = "For validate")
    private String device = "auto";

    @Parameter(type = ItemIO.OUTPUT, label = "Decrappify models")
    private String report;

    @Parameter(type = ItemIO.OUTPUT, label = "Cover")
    private ImagePlus cover;

    @Override
    public void run() {
        ModelStore store = FijiModels.store();
        List<String> lines = new ArrayList<>();
        try {
            switch (action == null ? "" : action.strip()) {
                case LIST -> list(store, lines);
                case SHOW -> show(store.resolve(requireModel()), lines);
                case VALIDATE -> {
                    if (!validate(store.resolve(requireModel()), lines)) {
                        return;
                    }
                }
                case IMPORT -> {
                    Path z = requireZip();
                    ModelBundle installed = store.importZip(z, overwrite);
                    BundleSpec s = installed.spec();
                    lines.add("installed " + s.name() + " (x" + s.scale() + ", " + s.modality().yamlName() + ", "
                            + s.license() + ") in " + installed.directory());
                    if (store.isBundledName(s.name())) {
                        lines.add("note: '" + s.name() + "' now means this model, not the bundled one of the same name;"
                                + " remove " + installed.directory() + " to use the bundled one again");
                    }
                }
                case EXPORT -> {
                    Path z = requireZip();
                    store.export(requireModel(), z);
                    lines.add("exported " + model.strip() + " to " + z);
                }
                default -> throw new IllegalArgumentException("action must be list, show, validate, import or export, not '"
                        + action + "'");
            }
        } catch (BundleException | RuntimeUnavailableException | IllegalArgumentException e) {
            publish(lines);
            fail(e.getMessage());
            return;
        } catch (IOException e) {
            publish(lines);
            fail("Cannot read model " + model + ": " + e.getMessage());
            return;
        }
        publish(lines);
    }

    private void publish(List<String> lines) {
        for (String line : lines) {
            log.info("Decrappify: " + line);
        }
        report = String.join("\n", lines);
        if (!lines.isEmpty()) {
            status.showStatus("Decrappify: " + lines.get(lines.size() - 1));
        }
    }

    private String requireModel() {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException(action + " needs a model: an installed name, a bundle folder or a .zip");
        }
        return model.strip();
    }

    private Path requireZip() {
        if (zip == null || zip.getPath().isBlank()) {
            throw new IllegalArgumentException(action + " needs a bundle .zip (zip=...)");
        }
        return zip.toPath().toAbsolutePath();
    }

    private static void list(ModelStore store, List<String> lines) {
        List<ModelStore.Entry> entries = store.list();
        if (entries.isEmpty()) {
            lines.add("no models installed (user store: " + store.userDir() + "); import one with action=import");
            return;
        }
        for (ModelStore.Entry e : entries) {
            String where = (e.bundled() ? "bundled" : "user") + "  " + e.location()
                    + (e.hidden() ? "  (hidden: the user model of this name is used)" : "");
            lines.add(e.problem() != null ? e.name() + "  unusable: " + e.problem() + "  " + where
                    : String.format(Locale.ROOT, "%s  x%d  %s  %s  %s", e.name(), e.scale(), e.modality().yamlName(),
                            e.license(), where));
        }
    }

    private void show(ModelBundle bundle, List<String> lines) {
        lines.addAll(BundleSummary.lines(bundle));
        List<BundleSpec.FileRef> covers = bundle.spec().artifacts().covers();
        if (!covers.isEmpty()) {
            Path file = bundle.directory().resolve(covers.get(0).source());
            ImagePlus imp = null;
            try {
                if (Files.isRegularFile(file)) {
                    WholeImages.requireLoadable(file); // an imported bundle's cover is untrusted: no decoding bomb
                    imp = IJ.openImage(file.toString());
                }
            } catch (BadInputException e) {
                lines.add("cover not shown: " + e.getMessage());
            }
            if (imp != null) {
                imp.setTitle(bundle.spec().name() + " cover (LR | restored | HR)");
                cover = imp;
            }
        }
    }

    /** {@code false} (after failing the command) when the model does not reproduce its test output. */
    private boolean validate(ModelBundle bundle, List<String> lines)
            throws BundleException, RuntimeUnavailableException, IOException {
        String name = bundle.spec().name();
        lines.add(name + ": checksums and op allow-list ok");
        status.showStatus("Decrappify: validating " + name);
        BundleValidation.Result r = BundleValidation.run(bundle, device(device));
        lines.add(String.format(Locale.ROOT, "%s: test output max |diff| %.3g, mean |diff| %.3g; tolerance %.3g",
                name, r.maxAbs(), r.meanAbs(), r.tolerance()));
        if (!r.ok()) {
            publish(lines);
            fail(String.format(Locale.ROOT, "model '%s' does not reproduce its test output (max |diff| %.3g > %.3g);"
                    + " the weights or test tensors were changed, or this TensorFlow build computes differently",
                    name, r.maxAbs(), r.tolerance()));
            return false;
        }
        lines.add(name + ": valid");
        return true;
    }
}
