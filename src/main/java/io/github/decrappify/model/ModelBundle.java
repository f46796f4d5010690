package io.github.decrappify.model;

import io.github.decrappify.image.Folders;
import io.github.decrappify.model.BundleSpec.FileRef;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An opened and fully validated model bundle: its {@link BundleSpec}, its folder and its SavedModel
 * unpacked to a cache folder, ready for loading with DJL.
 *
 * <p>{@link #open} accepts a bundle folder or a {@code .zip} (extracted once into
 * {@code <cache>/bundles/<sha256 of the zip>}). It checks that {@code rdf.yaml} is valid, every referenced
 * file is present and matches its SHA-256, the test tensors have the shapes the spec implies, and the
 * SavedModel passes {@link OpAllowList}; {@code weights.zip} is unpacked into
 * {@code <cache>/weights/<its sha256>}. Zips go through {@link SafeZip}. Failures are
 * {@link BundleException}s such as {@code model 'x': weights.zip sha256 mismatch — ...}.
 * <pre>{@code
 * ModelBundle bundle = ModelBundle.open(Path.of("em-x4.zip"));
 * Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
 *         .optModelPath(bundle.savedModelDir()).optEngine("TensorFlow")
 *         .optTranslator(new NoopTranslator()).build();
 * }</pre>
 */
public final class ModelBundle {

    private final Path source;
    private final Path directory;
    private final BundleSpec spec;
    private final Path savedModelDir;
    private final Npy.Tensor testInput;
    private final Npy.Tensor testOutput;

    private ModelBundle(Path source, Path directory, BundleSpec spec, Path savedModelDir, Npy.Tensor testInput,
            Npy.Tensor testOutput) {
        this.source = source;
        this.directory = directory;
        this.spec = spec;
        this.savedModelDir = savedModelDir;
        this.testInput = testInput;
        this.testOutput = testOutput;
    }

    /** Opens with the default cache ({@code <Caches.root()>}) and zip limits. */
    public static ModelBundle open(Path folderOrZip) throws BundleException {
        return open(folderOrZip, Caches.root(), SafeZip.DEFAULT);
    }

    /**
     * Opens and validates a bundle.
     *
     * @param cacheDir where zips and weights are unpacked (sub-folders {@code bundles/} and {@code weights/})
     * @param zipLimits limits applied to the bundle zip and to {@code weights.zip}
     */
    public static ModelBundle open(Path folderOrZip, Path cacheDir, SafeZip zipLimits) throws BundleException {
        String label = folderOrZip.getFileName() == null ? folderOrZip.toString() : folderOrZip.getFileName().toString();
        if (Files.isRegularFile(folderOrZip)) {
            String sha;
            try {
                sha = Checksums.sha256(folderOrZip);
            } catch (IOException e) {
                throw new BundleException("cannot read " + folderOrZip + " (" + e.getMessage() + ")", e);
            }
            Path bundles = cacheDir.resolve("bundles");
            boolean fresh = !Files.isDirectory(bundles.resolve(sha), LinkOption.NOFOLLOW_LINKS);
            // SafeZip's messages already start with the zip's name, so no "model '...'" prefix here.
            Path extracted = unpackCached(folderOrZip, bundles, zipLimits, null, sha);
            try {
                return openExtracted(folderOrZip, extracted, cacheDir, zipLimits);
            } catch (BundleException e) {
                if (fresh) {
                    Folders.deleteTreeQuietly(extracted); // a rejected bundle leaves nothing in the cache
                }
                throw e;
            }
        }
        if (Files.isDirectory(folderOrZip)) {
            return openFolder(folderOrZip, folderOrZip, cacheDir, zipLimits);
        }
        throw new BundleException("model '" + label + "': no such file or folder: " + folderOrZip);
    }

    /** The model name in the {@code rdf.yaml} of a bundle extracted from the zip {@code source}, before any other check. */
    static String nameOfExtracted(Path source, Path extracted) throws BundleException {
        Path rdf = bundleRoot(extracted, source.getFileName().toString()).resolve(RdfYaml.FILE_NAME);
        if (!Files.isRegularFile(rdf, LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleException("model '" + source.getFileName() + "': " + RdfYaml.FILE_NAME
                    + " is not a regular file; not a model bundle");
        }
        try {
            return RdfYaml.read(rdf).name();
        } catch (BundleException e) {
            throw new BundleException("model '" + source.getFileName() + "': " + e.getMessage(), e);
        }
    }

    /** Opens a bundle extracted from the zip {@code source} into {@code extracted}. */
    static ModelBundle openExtracted(Path source, Path extracted, Path cacheDir, SafeZip zipLimits)
            throws BundleException {
        return openFolder(source, bundleRoot(extracted, source.getFileName().toString()), cacheDir, zipLimits);
    }

    private static ModelBundle openFolder(Path source, Path dir, Path cacheDir, SafeZip zipLimits)
            throws BundleException {
        String label = "model '" + source.getFileName() + "'";
        Path rdf = dir.resolve(RdfYaml.FILE_NAME);
        if (!Files.isRegularFile(rdf, LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleException(label + ": no " + RdfYaml.FILE_NAME + " in " + dir
                    + "; not a model bundle (give a bundle folder, a bundle .zip or an installed model name)");
        }
        BundleSpec spec;
        try {
            spec = RdfYaml.read(rdf);
        } catch (BundleException e) {
            throw new BundleException(label + ": " + e.getMessage(), e);
        }
        label = "model '" + spec.name() + "'";
        for (FileRef ref : spec.artifacts().all()) {
            verify(dir, ref, label);
        }
        Npy.Tensor in = readTensor(dir, spec.artifacts().testInput(), label);
        Npy.Tensor out = readTensor(dir, spec.artifacts().testOutput(), label);
        checkShapes(spec, in.shape(), out.shape(), label);
        Path weightsCache = cacheDir.resolve("weights");
        String weightsSha = spec.artifacts().weights().sha256();
        boolean fresh = !Files.isDirectory(weightsCache.resolve(weightsSha), LinkOption.NOFOLLOW_LINKS);
        Path weights = unpackCached(dir.resolve(spec.artifacts().weights().source()), weightsCache, zipLimits, label,
                weightsSha);
        Path savedModel;
        try {
            savedModel = savedModelRoot(weights, label);
            OpAllowList.check(savedModel);
        } catch (BundleException e) {
            // These checks depend on the weights' content only, so no valid bundle can be using this folder.
            if (fresh) {
                Folders.deleteTreeQuietly(weights);
            }
            throw e.getMessage().startsWith(label) ? e : new BundleException(label + ": " + e.getMessage(), e);
        }
        return new ModelBundle(source, dir, spec, savedModel, in, out);
    }

    /** What was opened: the bundle folder or the {@code .zip}. */
    public Path source() {
        return source;
    }

    /** The bundle folder ({@code rdf.yaml}, README, ...); for zips, inside the cache. */
    public Path directory() {
        return directory;
    }

    public BundleSpec spec() {
        return spec;
    }

    /** The unpacked SavedModel folder (holds {@code saved_model.pb}); treat it as read-only. */
    public Path savedModelDir() {
        return savedModelDir;
    }

    /** The test input, shape {@code (1, H, W, inputChannels)}. */
    public Npy.Tensor testInput() {
        return testInput;
    }

    /** The expected output for {@link #testInput()}, shape {@code (1, H·scale, W·scale, 1)}. */
    public Npy.Tensor testOutput() {
        return testOutput;
    }

    private static void verify(Path dir, FileRef ref, String label) throws BundleException {
        Path file = dir.resolve(ref.source());
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleException(label + ": " + ref.source() + " is missing (or not a regular file);"
                    + " the bundle is incomplete — re-download or re-export it");
        }
        if (ref.sha256() == null) {
            return;
        }
        String actual;
        try {
            actual = Checksums.sha256(file);
        } catch (IOException e) {
            throw new BundleException(label + ": cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        if (!actual.equals(ref.sha256())) {
            throw new BundleException(label + ": " + ref.source() + " sha256 mismatch — the bundle is corrupt or"
                    + " was modified; re-download or re-export it");
        }
    }

    private static Npy.Tensor readTensor(Path dir, FileRef ref, String label) throws BundleException {
        try {
            return Npy.read(dir.resolve(ref.source()));
        } catch (IOException e) {
            throw new BundleException(label + ": " + e.getMessage(), e);
        }
    }

    private static void checkShapes(BundleSpec spec, int[] in, int[] out, String label) throws BundleException {
        int s = spec.scale();
        if (in.length != 4 || in[0] != 1 || in[3] != spec.inputChannels()
                || !Arrays.equals(out, new int[] {1, in[1] * s, in[2] * s, 1})) {
            throw new BundleException(label + ": test tensors have shapes " + Arrays.toString(in) + " → "
                    + Arrays.toString(out) + ", which do not fit scale " + s + " and " + spec.inputChannels()
                    + " input frame(s)");
        }
    }

    private static Path unpackCached(Path zip, Path cacheDir, SafeZip limits, String label) throws BundleException {
        String sha;
        try {
            sha = Checksums.sha256(zip);
        } catch (IOException e) {
            throw new BundleException("cannot read " + zip + " (" + e.getMessage() + ")", e);
        }
        return unpackCached(zip, cacheDir, limits, label, sha);
    }

    /**
     * Extracts {@code zip} (whose checksum is known to be {@code sha}) to {@code cacheDir/sha}, once.
     * {@code label}, if not {@code null}, prefixes error messages.
     */
    private static Path unpackCached(Path zip, Path cacheDir, SafeZip limits, String label, String sha)
            throws BundleException {
        Path target = cacheDir.resolve(sha);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return target; // only ever created by a complete, checked extraction
        }
        try {
            Files.createDirectories(cacheDir);
            limits.extract(zip, target);
        } catch (BundleException e) {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                return target; // another process finished the same extraction first
            }
            throw label == null ? e : new BundleException(label + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BundleException((label == null ? zip.getFileName() : label) + ": cannot create cache folder " + cacheDir + " (" + e.getMessage()
                    + "); set DECRAPPIFY_CACHE to a writable folder", e);
        }
        return target;
    }

    /** Bundle zips hold {@code rdf.yaml} at the root or inside one top-level folder. */
    private static Path bundleRoot(Path extracted, String label) throws BundleException {
        return singleRootHolding(extracted, RdfYaml.FILE_NAME, "model '" + label + "': the zip holds no "
                + RdfYaml.FILE_NAME + "; not a model bundle");
    }

    private static Path savedModelRoot(Path extracted, String label) throws BundleException {
        return singleRootHolding(extracted, "saved_model.pb", label + ": weights.zip holds no saved_model.pb;"
                + " not a TensorFlow SavedModel");
    }

    private static Path singleRootHolding(Path dir, String file, String error) throws BundleException {
        if (Files.isRegularFile(dir.resolve(file), LinkOption.NOFOLLOW_LINKS)) {
            return dir;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (IOException e) {
            throw new BundleException(error, e);
        }
        if (children.size() == 1 && Files.isRegularFile(children.get(0).resolve(file), LinkOption.NOFOLLOW_LINKS)) {
            return children.get(0);
        }
        throw new BundleException(error);
    }
}
