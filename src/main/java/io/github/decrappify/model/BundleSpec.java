package io.github.decrappify.model;

import io.github.decrappify.image.Normalisation;
import io.github.decrappify.tile.TilePlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything Decrappify needs to know about a model bundle, independent of how {@code rdf.yaml} spells it.
 *
 * <p>Immutable and validated on construction ({@link IllegalArgumentException} naming the field). The
 * free-form maps ({@code crappifier}, {@code training}) are deep-copied and may hold only YAML-safe
 * values: strings, numbers, booleans, lists and string-keyed maps of those. Sizes are in LR pixels.
 * Build one with {@link #builder(String, int, Modality)}:
 * <pre>{@code
 * BundleSpec spec = BundleSpec.builder("em-x4", 4, Modality.EM)
 *         .optDescription("EM ×4 super-resolution").optAuthors(List.of(new Author("A. Person", null)))
 *         .optLicense("CC-BY-4.0").build();
 * }</pre>
 *
 * @param name         bundle and directory name: 1–64 of {@code A-Z a-z 0-9 . _ -}, starting alphanumeric
 * @param scale        integer up-sampling factor; 1 means denoising
 * @param inputChannels number of adjacent frames fed as channels (1 normally), centred on the restored one
 * @param frameAxis    the axis the adjacent frames come from (meaningful when {@code inputChannels > 1})
 * @param sizeMultiple input height and width must be {@code minimumSize + k · sizeMultiple}
 * @param tile         default tile edge (LR px); a valid input size
 * @param halo         default halo (LR px) added around each tile
 * @param bf16         how far bf16 inference strays from fp32 on the test tensor; {@code null} if not measured
 */
public record BundleSpec(String name, String description, String version, List<Author> authors, String license,
        List<Citation> cite, List<String> tags, Modality modality, int scale, int inputChannels,
        FrameAxis frameAxis, PercentileRange normalisation, int sizeMultiple, int minimumSize, int tile, int halo,
        Map<String, Object> crappifier, Map<String, Object> training, Artifacts artifacts, Bf16Check bf16) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** Plain file names only: bundle files live at the bundle root, so no path can point elsewhere. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** The PSSR paper, cited by default because Decrappify implements its method. */
    public static final Citation PSSR = new Citation("Fang L. et al. (2021). Deep learning-based point-scanning"
            + " super-resolution imaging. Nature Methods 18, 406–416.", "10.1038/s41592-021-01080-z", null);

    /**
     * The author and maintainer of record of models trained with Decrappify: the project, by its GitHub
     * organisation (bioimage.io names a model's maintainers by GitHub user).
     */
    public static final Author DECRAPPIFY_AUTHOR = new Author("Decrappify developers", null, "decrappify");

    public BundleSpec {
        requireValidName(name);
        description = Objects.requireNonNullElse(description, "");
        version = Objects.requireNonNullElse(version, "0.1.0");
        authors = List.copyOf(Objects.requireNonNull(authors, "authors"));
        require(!authors.isEmpty(), "authors", "must name at least one author");
        require(license != null && !license.isBlank(), "license", "must be an SPDX licence id such as CC-BY-4.0");
        cite = List.copyOf(Objects.requireNonNull(cite, "cite"));
        require(!cite.isEmpty(), "cite", "must hold at least one citation");
        tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(frameAxis, "frameAxis");
        Objects.requireNonNull(normalisation, "normalisation");
        require(scale >= 1 && scale <= 16, "scale", "must be an integer from 1 to 16 (got " + scale + ")");
        require(inputChannels >= 1 && inputChannels % 2 == 1 && inputChannels <= 15, "input_frames",
                "must be an odd number from 1 to 15 so the restored frame is the centre one (got " + inputChannels + ")");
        // Bounded like the tile they build (sizes are rounded up to them: 2^31-1 wrapped that arithmetic).
        require(sizeMultiple >= 1 && sizeMultiple <= TilePlan.MAX_TILE, "size_multiple", "must be from 1 to "
                + TilePlan.MAX_TILE + " (got " + sizeMultiple + ")");
        require(minimumSize >= 1 && minimumSize <= TilePlan.MAX_TILE, "minimum size", "must be from 1 to "
                + TilePlan.MAX_TILE + " (got " + minimumSize + ")");
        require(tile >= minimumSize && (tile - minimumSize) % sizeMultiple == 0, "tile",
                tile + " is not a valid input size (" + minimumSize + " + k·" + sizeMultiple + ")");
        require(halo >= 0 && halo <= TilePlan.MAX_OVERLAP, "halo", "must be from 0 to " + TilePlan.MAX_OVERLAP
                + " (got " + halo + ")");
        require(tile <= TilePlan.MAX_TILE, "tile", "must be at most " + TilePlan.MAX_TILE + " (got " + tile + ")");
        crappifier = YamlValues.copyMap(Objects.requireNonNullElse(crappifier, Map.of()), "crappifier");
        training = YamlValues.copyMap(Objects.requireNonNullElse(training, Map.of()), "training");
        Objects.requireNonNull(artifacts, "artifacts");
    }

    /** Starts a spec with the required values; everything else has a documented default. */
    public static Builder builder(String name, int scale, Modality modality) {
        return new Builder(name, scale, modality);
    }

    /** This spec with other file references (used by the writer once checksums are known). */
    public BundleSpec withArtifacts(Artifacts newArtifacts) {
        return new BundleSpec(name, description, version, authors, license, cite, tags, modality, scale,
                inputChannels, frameAxis, normalisation, sizeMultiple, minimumSize, tile, halo, crappifier,
                training, newArtifacts, bf16);
    }

    /** This spec with a bf16 check ({@code null} removes it), e.g. measured at export. */
    public BundleSpec withBf16(Bf16Check check) {
        return new BundleSpec(name, description, version, authors, license, cite, tags, modality, scale,
                inputChannels, frameAxis, normalisation, sizeMultiple, minimumSize, tile, halo, crappifier,
                training, artifacts, check);
    }

    /** Whether the model only denoises (no change of pixel size). */
    public boolean isDenoising() {
        return scale == 1;
    }

    /**
     * Checks a model name (a bundle's folder name is its model's name): commands that write a bundle at
     * the end of a long job call this first, so a bad name fails before the work, not after it.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static void requireValidName(String name) {
        require(name != null && NAME.matcher(name).matches(), "name",
                "must be 1–64 letters, digits, '.', '_' or '-' starting with a letter or digit (got '" + name + "')");
    }

    private static void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(field + " " + problem);
        }
    }

    static boolean isSha256(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    /** Imaging modality the model was trained for; YAML spelling {@code em} / {@code fluo}. */
    public enum Modality {
        EM, FLUO;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code em} or {@code fluo}; {@code null} if it is neither. */
        public static Modality fromYaml(String s) {
            for (Modality m : values()) {
                if (m.yamlName().equals(s)) {
                    return m;
                }
            }
            return null;
        }
    }

    /**
     * Tile and halo (LR pixels) of a bundle that does not say, and of the bundles {@code train} writes: the one place
     * of these numbers; restoring uses the bundle's (the halo is the restore options' {@code overlap}).
     */
    public static final int DEFAULT_TILE = 1024;
    public static final int DEFAULT_HALO = 32;

    /** Axis that adjacent input frames come from; YAML spelling {@code z} / {@code t}. */
    public enum FrameAxis {
        Z, T;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code z} or {@code t}; {@code null} if it is neither. */
        public static FrameAxis fromYaml(String s) {
            for (FrameAxis a : values()) {
                if (a.yamlName().equals(s)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** An author; {@code affiliation} may be {@code null}. */
    /**
     * An author; one with a GitHub user name is also a maintainer (bioimage.io asks for the contact of a
     * model by its GitHub user).
     */
    public record Author(String name, String affiliation, String githubUser) {
        private static final Pattern GITHUB_USER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})");

        public Author {
            require(name != null && !name.isBlank(), "authors.name", "must not be empty");
            require(githubUser == null || GITHUB_USER.matcher(githubUser).matches(), "authors.github_user",
                    "must be a GitHub user name (letters, digits, '-'), not '" + githubUser + "'");
        }

        public Author(String name, String affiliation) {
            this(name, affiliation, null);
        }
    }

    /** A citation: {@code text} plus a DOI or a URL (at least one; the other may be {@code null}). */
    public record Citation(String text, String doi, String url) {
        public Citation {
            require(text != null && !text.isBlank(), "cite.text", "must not be empty");
            require(doi != null || url != null, "cite", "entry '" + text + "' needs a doi or a url");
        }
    }

    /**
     * The percentiles of the normalisation applied to the input before the network (bioimage.io {@code scale_range}):
     * {@code (x − p_low) / (p_high − p_low)}; {@link io.github.decrappify.image.Normalisation} holds the values p_low, p_high.
     */
    public record PercentileRange(double lowPercentile, double highPercentile) {
        public static final PercentileRange DEFAULT = new PercentileRange(Normalisation.DEFAULT_LOW_PERCENTILE,
                Normalisation.DEFAULT_HIGH_PERCENTILE);

        public PercentileRange {
            require(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100,
                    "normalisation", "percentiles must satisfy 0 ≤ low < high ≤ 100 (got " + lowPercentile
                            + ", " + highPercentile + ")");
        }
    }

    /** A file at the bundle root and its SHA-256 (lower-case hex; {@code null} until the file exists). */
    public record FileRef(String source, String sha256) {
        public FileRef {
            require(source != null && FILE_NAME.matcher(source).matches(), "source",
                    "must be a plain file name inside the bundle (got '" + source + "')");
            require(sha256 == null || isSha256(sha256), "sha256", "of " + source
                    + " must be 64 lower-case hex digits");
        }

        public FileRef withSha256(String hash) {
            return new FileRef(source, hash);
        }
    }

    /**
     * The files a bundle consists of besides {@code rdf.yaml}.
     *
     * @param tensorflowVersion TensorFlow version the SavedModel was written with
     */
    public record Artifacts(FileRef weights, String tensorflowVersion, FileRef testInput, FileRef testOutput,
            FileRef documentation, List<FileRef> covers) {

        /** Standard names, no checksums yet. */
        public static final Artifacts DEFAULT = new Artifacts(new FileRef("weights.zip", null), Caches.TENSORFLOW_VERSION,
                new FileRef("test_input.npy", null), new FileRef("test_output.npy", null),
                new FileRef("README.md", null), List.of(new FileRef("cover.png", null)));

        public Artifacts {
            Objects.requireNonNull(weights, "weights");
            require(tensorflowVersion != null && tensorflowVersion.matches("\\d+(\\.\\d+){0,2}"),
                    "tensorflow_version", "must look like 2.16.1 (got '" + tensorflowVersion + "')");
            Objects.requireNonNull(testInput, "testInput");
            Objects.requireNonNull(testOutput, "testOutput");
            Objects.requireNonNull(documentation, "documentation");
            covers = List.copyOf(covers);
        }

        /** Every referenced file, weights first. */
        public List<FileRef> all() {
            List<FileRef> all = new ArrayList<>(List.of(weights, testInput, testOutput, documentation));
            all.addAll(covers);
            return Collections.unmodifiableList(all);
        }
    }

    /**
     * The difference between bf16 and fp32 inference measured on a CPU with native bf16 (rdf.yaml
     * {@code config.decrappify.bf16}): on the bundle's test tensor and, where one was at hand, a
     * validation image. {@code restore --precision auto} uses bf16 only when {@link #withinBound()}.
     *
     * @param maxRelDiff   max |bf16 − fp32| over the fp32 output's range (max − min), the largest of the inputs measured
     * @param meanRelDiff  mean |bf16 − fp32| over that range (the largest of the inputs' means)
     * @param psnrDb       PSNR of the bf16 output with the fp32 output as reference, peak = the range (the lowest)
     * @param psnrChangeDb PSNR against the truth of the validation image, bf16 minus fp32 (dB);
     *                     {@code null} when no image with a truth was measured
     * @param measuredOn   what was run, e.g. "test_tensor" or "test_tensor, validation image s2_18.tif"
     * @param cpu          the CPU it was measured on, e.g. "AMD EPYC 9R14 (avx512_bf16)"
     */
    public record Bf16Check(double maxRelDiff, double meanRelDiff, double psnrDb, Double psnrChangeDb, String measuredOn,
            String cpu) {
        /** Largest {@link #maxRelDiff} for which {@code auto} picks bf16: 1 % of the range. */
        public static final double MAX_REL_DIFF = 0.01;
        /** Largest |{@link #psnrChangeDb}| for which {@code auto} picks bf16 (issue 15's bound). */
        public static final double MAX_PSNR_CHANGE_DB = 0.05;

        public Bf16Check {
            require(Double.isFinite(maxRelDiff) && maxRelDiff >= 0, "bf16.max_rel_diff", "must be a number >= 0");
            require(Double.isFinite(meanRelDiff) && meanRelDiff >= 0 && meanRelDiff <= maxRelDiff,
                    "bf16.mean_rel_diff", "must be a number from 0 to max_rel_diff");
            require(!Double.isNaN(psnrDb), "bf16.psnr_vs_fp32_db", "must be a number");
            require(psnrChangeDb == null || Double.isFinite(psnrChangeDb), "bf16.psnr_change_vs_truth_db",
                    "must be a number");
            measuredOn = Objects.requireNonNullElse(measuredOn, "test_tensor");
            cpu = Objects.requireNonNullElse(cpu, "");
        }

        /** A check on the test tensor only (no validation image). */
        public Bf16Check(double maxRelDiff, double meanRelDiff, double psnrDb, String cpu) {
            this(maxRelDiff, meanRelDiff, psnrDb, null, "test_tensor", cpu);
        }

        public boolean withinBound() {
            return problem() == null;
        }

        /** Which bound the check exceeds, e.g. "differs by 2.0 % > 1.0 % of the range"; {@code null} if none. */
        public String problem() {
            if (maxRelDiff > MAX_REL_DIFF) {
                return "differs by " + percent(maxRelDiff) + " > " + percent(MAX_REL_DIFF) + " of the range";
            }
            if (psnrChangeDb != null && Math.abs(psnrChangeDb) > MAX_PSNR_CHANGE_DB) {
                return String.format(Locale.ROOT, "changes PSNR against the truth by %+.3f dB (bound ±%.2f dB)",
                        psnrChangeDb, MAX_PSNR_CHANGE_DB);
            }
            return null;
        }

        /** One line for logs: "max 0.41 % / mean 0.032 % of the range, 58.2 dB vs fp32, ΔPSNR vs truth +0.002 dB". */
        public String summary() {
            return "max " + percent(maxRelDiff) + " / mean " + percent(meanRelDiff) + " of the range, "
                    + String.format(Locale.ROOT, "%.1f dB vs fp32", psnrDb)
                    + (psnrChangeDb == null ? "" : String.format(Locale.ROOT, ", PSNR change vs truth %+.4f dB", psnrChangeDb));
        }

        static String percent(double fraction) {
            return String.format(Locale.ROOT, "%.2g %%", 100 * fraction);
        }
    }

    /** Collects optional values; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private final int scale;
        private final Modality modality;
        private String description = "";
        private String version = "0.1.0";
        private List<Author> authors = List.of();
        private String license;
        private List<Citation> cite = List.of(PSSR);
        private List<String> tags = List.of();
        private int inputChannels = 1;
        private FrameAxis frameAxis = FrameAxis.Z;
        private PercentileRange normalisation = PercentileRange.DEFAULT;
        private int sizeMultiple = 64;
        private int minimumSize = 64;
        private int tile = DEFAULT_TILE;
        private int halo = DEFAULT_HALO;
        private Map<String, Object> crappifier = Map.of();
        private Map<String, Object> training = Map.of();
        private Artifacts artifacts = Artifacts.DEFAULT;
        private Bf16Check bf16;

        private Builder(String name, int scale, Modality modality) {
            this.name = name;
            this.scale = scale;
            this.modality = modality;
        }

        public Builder optDescription(String value) { description = value; return this; }
        public Builder optVersion(String value) { version = value; return this; }
        public Builder optAuthors(List<Author> value) { authors = value; return this; }
        /** SPDX id; required by {@link #build()}: the most restrictive licence of the training data. */
        public Builder optLicense(String value) { license = value; return this; }
        /** Replaces the default citation (the PSSR paper). */
        public Builder optCite(List<Citation> value) { cite = value; return this; }
        public Builder optTags(List<String> value) { tags = value; return this; }
        public Builder optInputFrames(int frames, FrameAxis axis) { inputChannels = frames; frameAxis = axis; return this; }
        public Builder optNormalisation(PercentileRange value) { normalisation = value; return this; }
        /** Valid input sizes are {@code minimum + k · multiple}; default 64 and 64. */
        public Builder optSizes(int minimum, int multiple) { minimumSize = minimum; sizeMultiple = multiple; return this; }
        /** Tile and halo in LR pixels; default {@value BundleSpec#DEFAULT_TILE} and {@value BundleSpec#DEFAULT_HALO}. */
        public Builder optTiling(int tileSize, int haloSize) { tile = tileSize; halo = haloSize; return this; }
        public Builder optCrappifier(Map<String, Object> value) { crappifier = value; return this; }
        public Builder optTraining(Map<String, Object> value) { training = value; return this; }
        public Builder optArtifacts(Artifacts value) { artifacts = value; return this; }
        public Builder optBf16(Bf16Check value) { bf16 = value; return this; }

        public BundleSpec build() {
            return new BundleSpec(name, description, version, authors, license, cite, tags, modality, scale,
                    inputChannels, frameAxis, normalisation, sizeMultiple, minimumSize, tile, halo, crappifier,
                    training, artifacts, bf16);
        }
    }

    /** Deep, unmodifiable copies restricted to plain YAML values, so dumping never emits tags. */
    static final class YamlValues {
        private YamlValues() {}

        static Map<String, Object> copyMap(Map<?, ?> map, String path) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(path + " keys must be strings (got " + e.getKey() + ")");
                }
                copy.put(key, copy(e.getValue(), path + "." + key));
            }
            return Collections.unmodifiableMap(copy);
        }

        static Object copy(Object v, String path) {
            if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Double) {
                return v;
            }
            // Normalised as YAML reads numbers back, so a spec equals its own round trip.
            if (v instanceof Long || v instanceof Short || v instanceof Byte) {
                long n = ((Number) v).longValue();
                return n == (int) n ? (Object) (int) n : (Object) n;
            }
            if (v instanceof Float f) {
                return Double.valueOf(f.toString());
            }
            if (v instanceof Map<?, ?> m) {
                return copyMap(m, path);
            }
            if (v instanceof List<?> list) {
                List<Object> copy = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    copy.add(copy(list.get(i), path + "[" + i + "]"));
                }
                return Collections.unmodifiableList(copy);
            }
            throw new IllegalArgumentException(path + " must be a string, number, boolean, list or map (got "
                    + (v == null ? "null" : v.getClass().getSimpleName()) + ")");
        }
    }
}
