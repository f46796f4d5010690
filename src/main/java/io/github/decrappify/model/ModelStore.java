package io.github.decrappify.model;

import io.github.decrappify.image.Folders;
import io.github.decrappify.model.BundleSpec.Modality;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where models live and how a {@code MODEL} argument becomes a {@link ModelBundle}.
 *
 * <p>{@link #resolve} accepts a bundle folder, a bundle {@code .zip}, or the name of an installed model,
 * looked up first in the user store ({@code $DECRAPPIFY_MODELS}, else {@code ~/.decrappify/models}; or the
 * folder given to the constructor) and then in the bundled models folder the application ships. Installed
 * models are folders named after {@link BundleSpec#name()}. <b>A name in both stores means the user
 * store's model</b>: {@link #list} marks the bundled one {@link Entry#hidden() hidden}, and {@link #importZip}
 * refuses to take a bundled model's name unless asked to overwrite. {@link #importZip} validates a zip
 * completely (checksums, op allow-list) before moving it into the user store in one rename; a refused
 * import leaves nothing behind, in the store or in the cache.
 * <pre>{@code
 * ModelStore store = ModelStore.standard(installDir.resolve("models"));
 * ModelBundle bundle = store.resolve("em-x4");        // or "path/to/bundle.zip", "path/to/folder"
 * }</pre>
 */
public final class ModelStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path userDir;
    private final Path bundledDir;
    private final Path cacheDir;
    private final SafeZip zipLimits;

    /**
     * @param userDir    the user's store (created on first import)
     * @param bundledDir models shipped with the application; may be {@code null}
     * @param cacheDir   where zips and weights are unpacked
     * @param zipLimits  limits for every zip opened through this store
     */
    public ModelStore(Path userDir, Path bundledDir, Path cacheDir, SafeZip zipLimits) {
        this.userDir = Objects.requireNonNull(userDir, "userDir");
        this.bundledDir = bundledDir;
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.zipLimits = Objects.requireNonNull(zipLimits, "zipLimits");
    }

    /** The user store from the environment, the given bundled folder, the default cache and zip limits. */
    public static ModelStore standard(Path bundledDir) {
        return new ModelStore(defaultUserDir(), bundledDir, Caches.root(), SafeZip.DEFAULT);
    }

    /** {@code $DECRAPPIFY_MODELS} if set, else {@code ~/.decrappify/models}. */
    public static Path defaultUserDir() {
        String env = System.getenv("DECRAPPIFY_MODELS");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".decrappify", "models");
    }

    public Path userDir() {
        return userDir;
    }

    /**
     * One installed model as {@link #list()} reports it.
     *
     * @param problem why the model cannot be used, or {@code null}; then scale, modality and licence are unset
     * @param hidden a bundled model whose name a user-store model takes: resolving the name gives the user's
     */
    public record Entry(String name, int scale, Modality modality, String license, Path location, boolean bundled,
            String problem, boolean hidden) {}

    /**
     * Opens a bundle folder, a {@code .zip}, or an installed model by name (user store before bundled).
     *
     * @throws BundleException for invalid bundles, and for unknown names with the list of available ones
     */
    public ModelBundle resolve(String model) throws BundleException {
        Path path;
        try {
            path = Paths.get(model);
        } catch (InvalidPathException e) {
            throw new BundleException("model '" + model.replaceAll("\\p{Cntrl}", "?") + "': not a valid name or path");
        }
        if (Files.exists(path)) {
            return ModelBundle.open(path, cacheDir, zipLimits);
        }
        Path installed = NAME.matcher(model).matches() ? find(model) : null;
        if (installed != null) {
            return ModelBundle.open(installed, cacheDir, zipLimits);
        }
        if (model.endsWith(".zip") || model.contains("/") || model.contains(path.getFileSystem().getSeparator())) {
            throw new BundleException("model '" + model + "': no such file or folder");
        }
        TreeSet<String> names = new TreeSet<>();
        for (Entry e : list()) {
            names.add(e.name());
        }
        throw new BundleException("unknown model '" + model + "'; available: "
                + (names.isEmpty() ? "none installed" : String.join(", ", names))
                + " (or give a bundle folder or .zip)");
    }

    /**
     * Installed models: the user store's first, then the bundled ones, each sorted by name; a bundled model
     * whose name the user store also holds is {@link Entry#hidden()}.
     */
    public List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        addEntries(userDir, false, entries);
        if (bundledDir != null) {
            List<Entry> bundled = new ArrayList<>();
            addEntries(bundledDir, true, bundled);
            for (Entry e : bundled) {
                boolean hidden = isInstalled(userDir, e.name());
                entries.add(hidden ? new Entry(e.name(), e.scale(), e.modality(), e.license(), e.location(), true,
                        e.problem(), true) : e);
            }
        }
        return entries;
    }

    /** Whether the bundled models folder holds a model named {@code name} (whether or not the user store hides it). */
    public boolean isBundledName(String name) {
        return bundledDir != null && NAME.matcher(name).matches() && isInstalled(bundledDir, name);
    }

    private static boolean isInstalled(Path root, String name) {
        return Files.isRegularFile(root.resolve(name).resolve(RdfYaml.FILE_NAME));
    }

    /**
     * Validates {@code zip} completely and installs it in the user store under its model name.
     *
     * @param overwrite replace an installed model of the same name, or take the name of a bundled model (which
     *        the user store's model then hides when resolving the name); else refuse
     * @return the installed bundle
     */
    public ModelBundle importZip(Path zip, boolean overwrite) throws BundleException {
        String label = "model '" + zip.getFileName() + "'";
        if (!Files.isRegularFile(zip)) {
            throw new BundleException(label + ": no such file: " + zip);
        }
        Path staging = null;
        try {
            Files.createDirectories(userDir);
            staging = Files.createTempDirectory(userDir, ".import-");
            zipLimits.extract(zip, staging.resolve("bundle"));
            // The name first: a refusal for it must not leave unpacked weights in the cache either.
            String name = ModelBundle.nameOfExtracted(zip, staging.resolve("bundle"));
            Path target = userDir.resolve(name);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
                throw new BundleException("model '" + name + "' is already installed in " + userDir
                        + "; remove it or import with overwrite");
            }
            if (!overwrite && isBundledName(name)) {
                // The user store is searched first, so the import would silently replace the bundled model by name.
                throw new BundleException("model '" + name + "' has the name of a bundled model, which the import would"
                        + " shadow wherever that name is used; import with overwrite to let yours win (remove it from "
                        + userDir + " to get the bundled one back), or give it another name in its rdf.yaml");
            }
            ModelBundle checked = ModelBundle.openExtracted(zip, staging.resolve("bundle"), cacheDir, zipLimits);
            Dirs.replace(checked.directory(), target);
            return ModelBundle.open(target, cacheDir, zipLimits);
        } catch (IOException e) {
            throw new BundleException(label + ": cannot install into " + userDir + " (" + e.getMessage() + ")", e);
        } catch (BundleException e) {
            String message = e.getMessage();
            throw message.startsWith("model '") || message.startsWith(zip.getFileName() + ": ") ? e
                    : new BundleException(label + ": " + message, e);
        } finally {
            if (staging != null) {
                Folders.deleteTreeQuietly(staging);
            }
        }
    }

    /** Writes the installed or given model {@code model} as a bundle zip (refuses to overwrite {@code zip}). */
    public void export(String model, Path zip) throws BundleException {
        ModelBundle bundle = resolve(model);
        try {
            BundleWriter.exportZip(bundle.directory(), zip);
        } catch (IOException e) {
            throw new BundleException("model '" + bundle.spec().name() + "': cannot write " + zip + " ("
                    + e.getMessage() + ")", e);
        }
    }

    private Path find(String name) {
        for (Path root : bundledDir == null ? List.of(userDir) : List.of(userDir, bundledDir)) {
            if (isInstalled(root, name)) {
                return root.resolve(name);
            }
        }
        return null;
    }

    private static void addEntries(Path root, boolean bundled, List<Entry> out) {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root, p -> Files.isDirectory(p)
                && !p.getFileName().toString().startsWith("."))) {
            stream.forEach(dirs::add);
        } catch (IOException e) {
            out.add(new Entry(root.getFileName().toString(), 0, null, null, root, bundled,
                    "cannot list " + root + ": " + e.getMessage(), false));
            return;
        }
        dirs.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path dir : dirs) {
            String folder = dir.getFileName().toString();
            try {
                BundleSpec spec = RdfYaml.read(dir.resolve(RdfYaml.FILE_NAME));
                String problem = spec.name().equals(folder) ? null
                        : "folder name differs from the model name '" + spec.name() + "'";
                out.add(new Entry(folder, spec.scale(), spec.modality(), spec.license(), dir, bundled, problem, false));
            } catch (BundleException e) {
                out.add(new Entry(folder, 0, null, null, dir, bundled, e.getMessage(), false));
            }
        }
    }
}
