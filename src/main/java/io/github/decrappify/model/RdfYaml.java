package io.github.decrappify.model;

import io.github.decrappify.model.BundleSpec.Artifacts;
import io.github.decrappify.model.BundleSpec.Author;
import io.github.decrappify.model.BundleSpec.Citation;
import io.github.decrappify.model.BundleSpec.FileRef;
import io.github.decrappify.model.BundleSpec.FrameAxis;
import io.github.decrappify.model.BundleSpec.Modality;
import io.github.decrappify.model.BundleSpec.PercentileRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes and reads {@code rdf.yaml}, the bioimage.io model description (format 0.5.x) of a bundle.
 *
 * <p>The tensors follow TensorFlow's NHWC layout: input and output axes are batch, y, x, channel. Input
 * spatial sizes are {@code {min, step}}; output spatial sizes reference the input axis and the pixel-size
 * ratio is carried by the axes' {@code scale} (input {@code scale: S}, output {@code scale: 1}), which by
 * the 0.5 rule {@code size = ref.size · ref.scale / axis.scale} makes the output S times larger.
 * Decrappify-only values live under {@code config.decrappify}. Checksums of README and covers, for which
 * the 0.5 format has no field, go to {@code config.decrappify.file_sha256}.
 *
 * <p>Reading is safe for untrusted text: SnakeYAML's {@link SafeConstructor} (plain maps, lists, scalars;
 * no Java types), bounded size, aliases and nesting. Any problem is a {@link BundleException} with one line
 * naming the field, e.g. {@code rdf.yaml: config.decrappify.scale must be a positive integer}.
 */
public final class RdfYaml {

    public static final String FILE_NAME = "rdf.yaml";
    /** The 0.5 revision whose JSON Schema the exported descriptions are checked against (tests). */
    public static final String FORMAT_VERSION = "0.5.7";
    /** Far above any real description; bounds memory for hostile files. */
    static final int MAX_CHARS = 1 << 20;

    private RdfYaml() {}

    /** The YAML text describing {@code spec}. */
    public static String write(BundleSpec spec) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        options.setAllowUnicode(true);
        return new Yaml(new Representer(options), options).dump(toTree(spec));
    }

    /** Writes {@code rdf.yaml} text for {@code spec} to {@code file} (UTF-8). */
    public static void write(BundleSpec spec, Path file) throws IOException {
        Files.writeString(file, write(spec), StandardCharsets.UTF_8);
    }

    /** Reads and validates a {@code rdf.yaml} file. */
    public static BundleSpec read(Path file) throws BundleException {
        try {
            if (Files.size(file) > MAX_CHARS) {
                throw new BundleException(FILE_NAME + ": larger than " + MAX_CHARS + " bytes; not a model description");
            }
            return read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BundleException(FILE_NAME + ": cannot read " + file + " (" + e.getMessage() + ")", e);
        }
    }

    /** Parses and validates {@code rdf.yaml} text. */
    public static BundleSpec read(String yaml) throws BundleException {
        try {
            return fromTree(parse(yaml));
        } catch (IllegalArgumentException e) {
            throw new BundleException(FILE_NAME + ": " + e.getMessage(), e);
        }
    }

    /** Safe YAML parsing into plain maps/lists/scalars; the root must be a mapping. */
    static Map<String, Object> parse(String yaml) throws BundleException {
        LoaderOptions limits = new LoaderOptions();
        limits.setCodePointLimit(MAX_CHARS);
        limits.setMaxAliasesForCollections(20);
        limits.setNestingDepthLimit(40);
        limits.setAllowDuplicateKeys(false);
        limits.setAllowRecursiveKeys(false);
        Object root;
        try {
            root = new Yaml(new SafeConstructor(limits)).load(yaml);
        } catch (YAMLException e) {
            throw new BundleException(FILE_NAME + ": not valid YAML (" + firstLine(e.getMessage()) + ")", e);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new BundleException(FILE_NAME + ": must be a YAML mapping with format_version, type, name, ...");
        }
        return Fields.stringKeys(map, "");
    }

    // ---------------------------------------------------------------- writing

    static Map<String, Object> toTree(BundleSpec spec) {
        Artifacts files = spec.artifacts();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format_version", FORMAT_VERSION);
        root.put("type", "model");
        root.put("name", spec.name());
        root.put("description", spec.description());
        root.put("version", spec.version());
        List<Object> authors = new ArrayList<>();
        for (Author a : spec.authors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            putIfPresent(m, "affiliation", a.affiliation());
            putIfPresent(m, "github_user", a.githubUser());
            authors.add(m);
        }
        root.put("authors", authors);
        List<Object> maintainers = new ArrayList<>();
        for (Author a : spec.authors()) {
            if (a.githubUser() != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", a.name());
                m.put("github_user", a.githubUser());
                maintainers.add(m);
            }
        }
        if (!maintainers.isEmpty()) {
            root.put("maintainers", maintainers);
        }
        List<Object> cite = new ArrayList<>();
        for (Citation c : spec.cite()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("text", c.text());
            putIfPresent(m, "doi", c.doi());
            putIfPresent(m, "url", c.url());
            cite.add(m);
        }
        root.put("cite", cite);
        root.put("license", spec.license());
        root.put("documentation", files.documentation().source());
        root.put("covers", files.covers().stream().map(FileRef::source).toList());
        root.put("tags", spec.tags());
        root.put("inputs", List.of(inputTensor(spec)));
        root.put("outputs", List.of(outputTensor(spec)));
        Map<String, Object> tf = new LinkedHashMap<>(fileDescr(files.weights()));
        tf.put("tensorflow_version", files.tensorflowVersion());
        root.put("weights", Map.of("tensorflow_saved_model_bundle", tf));
        root.put("config", Map.of("decrappify", decrappifyConfig(spec)));
        return root;
    }

    private static Map<String, Object> inputTensor(BundleSpec spec) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", "input");
        t.put("description", spec.inputChannels() == 1 ? "one LR image, normalised"
                : spec.inputChannels() + " adjacent LR frames along " + spec.frameAxis().yamlName()
                        + " as channels, normalised; the centre one is restored");
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("min", spec.minimumSize());
        size.put("step", spec.sizeMultiple());
        // Separate maps for y and x: a shared one would be dumped as a YAML anchor and alias.
        t.put("axes", axes(spec.inputChannels(), size, new LinkedHashMap<>(size), spec.scale()));
        t.put("test_tensor", fileDescr(spec.artifacts().testInput()));
        t.put("data", Map.of("type", "float32"));
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("axes", List.of("y", "x"));
        kwargs.put("min_percentile", spec.normalisation().lowPercentile());
        kwargs.put("max_percentile", spec.normalisation().highPercentile());
        Map<String, Object> scaleRange = new LinkedHashMap<>();
        scaleRange.put("id", "scale_range");
        scaleRange.put("kwargs", kwargs);
        t.put("preprocessing", List.of(scaleRange));
        return t;
    }

    private static Map<String, Object> outputTensor(BundleSpec spec) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", "output");
        t.put("description", spec.isDenoising() ? "restored image" : "restored image, " + spec.scale() + "× finer");
        Map<String, Object> y = new LinkedHashMap<>();
        y.put("tensor_id", "input");
        y.put("axis_id", "y");
        Map<String, Object> x = new LinkedHashMap<>(y);
        x.put("axis_id", "x");
        List<Object> axes = axes(1, y, x, 1);
        // The halo in output pixels, so that other consumers (deepImageJ, JDLL) crop it from tiles and
        // their tiled output has no seams; 0.5 requires a halo of at least 1 when the key is present.
        int halo = spec.halo() * spec.scale();
        if (halo > 0) {
            for (int i = 1; i <= 2; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> space = (Map<String, Object>) axes.get(i);
                space.put("halo", halo);
            }
        }
        t.put("axes", axes);
        t.put("test_tensor", fileDescr(spec.artifacts().testOutput()));
        t.put("data", Map.of("type", "float32"));
        return t;
    }

    private static List<Object> axes(int channels, Object ySize, Object xSize, int spaceScale) {
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("type", "batch");
        return List.of(batch, spaceAxis("y", ySize, spaceScale), spaceAxis("x", xSize, spaceScale),
                channelAxis(channels));
    }

    private static Map<String, Object> spaceAxis(String id, Object size, int scale) {
        Map<String, Object> axis = new LinkedHashMap<>();
        axis.put("type", "space");
        axis.put("id", id);
        axis.put("size", size);
        axis.put("scale", scale);
        return axis;
    }

    private static Map<String, Object> channelAxis(int channels) {
        List<String> names = new ArrayList<>();
        if (channels == 1) {
            names.add("intensity");
        } else {
            for (int i = 0; i < channels; i++) {
                names.add("frame" + i);
            }
        }
        Map<String, Object> axis = new LinkedHashMap<>();
        axis.put("type", "channel");
        axis.put("channel_names", names);
        return axis;
    }

    private static Map<String, Object> decrappifyConfig(BundleSpec spec) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("scale", spec.scale());
        c.put("modality", spec.modality().yamlName());
        c.put("input_frames", spec.inputChannels());
        c.put("frame_axis", spec.frameAxis().yamlName());
        c.put("size_multiple", spec.sizeMultiple());
        c.put("tile", spec.tile());
        c.put("halo", spec.halo());
        c.put("crappifier", spec.crappifier());
        c.put("training", spec.training());
        if (spec.bf16() != null) {
            BundleSpec.Bf16Check b = spec.bf16();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("measured_on", b.measuredOn());
            m.put("max_rel_diff", b.maxRelDiff());
            m.put("mean_rel_diff", b.meanRelDiff());
            m.put("psnr_vs_fp32_db", b.psnrDb());
            if (b.psnrChangeDb() != null) {
                m.put("psnr_change_vs_truth_db", b.psnrChangeDb());
            }
            m.put("cpu", b.cpu());
            c.put("bf16", m);
        }
        Map<String, Object> sums = new LinkedHashMap<>();
        FileRef doc = spec.artifacts().documentation();
        putIfPresent(sums, doc.source(), doc.sha256());
        for (FileRef cover : spec.artifacts().covers()) {
            putIfPresent(sums, cover.source(), cover.sha256());
        }
        c.put("file_sha256", sums);
        return c;
    }

    private static Map<String, Object> fileDescr(FileRef f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", f.source());
        putIfPresent(m, "sha256", f.sha256());
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    // ---------------------------------------------------------------- reading

    private static BundleSpec fromTree(Map<String, Object> root) throws BundleException {
        Fields r = new Fields(root, "");
        String format = r.string("format_version");
        if (!format.startsWith("0.5.")) {
            throw r.error("format_version", "is " + format + "; Decrappify reads model descriptions 0.5.x"
                    + " (re-export the model with a current bioimage.io tool)");
        }
        if (!"model".equals(r.string("type"))) {
            throw r.error("type", "must be 'model'");
        }
        String name = r.string("name");
        String description = r.string("description");
        String version = r.optText("version", "0.1.0");
        List<Author> authors = new ArrayList<>();
        for (Fields a : r.maps("authors")) {
            authors.add(new Author(a.string("name"), a.optString("affiliation", null), a.optString("github_user", null)));
        }
        List<Citation> cite = new ArrayList<>();
        for (Fields c : r.maps("cite")) {
            String doi = c.optString("doi", null);
            String url = c.optString("url", null);
            if (doi == null && url == null) {
                throw c.error("", "needs a doi or a url");
            }
            cite.add(new Citation(c.string("text"), doi, url));
        }
        String license = r.string("license");
        String documentation = r.string("documentation");
        List<String> covers = r.optStrings("covers");
        List<String> tags = r.optStrings("tags");

        List<Fields> inputs = r.maps("inputs");
        List<Fields> outputs = r.maps("outputs");
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw r.error("inputs", "and outputs must hold exactly one tensor each (Decrappify models are image → image)");
        }
        Fields in = inputs.get(0);
        Fields out = outputs.get(0);
        Axes inAxes = Axes.of(in);
        Axes outAxes = Axes.of(out);
        Fields ySize = inAxes.y.map("size");
        int minimum = ySize.positiveInt("min");
        int step = ySize.positiveInt("step");
        Fields xSize = inAxes.x.map("size");
        if (xSize.positiveInt("min") != minimum || xSize.positiveInt("step") != step) {
            throw xSize.error("", "must equal the y axis size (Decrappify tiles are square)");
        }
        PercentileRange normalisation = scaleRange(in);

        Fields cfg = r.map("config").map("decrappify");
        int scale = cfg.positiveInt("scale");
        double axisRatio = inAxes.y.optNumber("scale", 1) / outAxes.y.optNumber("scale", 1);
        if (Math.abs(axisRatio - scale) > 1e-6 * scale) {
            throw cfg.error("scale", "(" + scale + ") disagrees with the y axis scales of inputs and outputs (ratio "
                    + axisRatio + ")");
        }
        Modality modality = Modality.fromYaml(cfg.string("modality"));
        if (modality == null) {
            throw cfg.error("modality", "must be 'em' or 'fluo'");
        }
        int frames = cfg.positiveInt("input_frames");
        if (frames != inAxes.channels) {
            throw cfg.error("input_frames", "(" + frames + ") disagrees with the input's " + inAxes.channels
                    + " channel_names");
        }
        if (outAxes.channels != 1) {
            throw out.error("axes", "channel axis must have exactly one channel");
        }
        FrameAxis frameAxis = FrameAxis.fromYaml(cfg.optString("frame_axis", "z"));
        if (frameAxis == null) {
            throw cfg.error("frame_axis", "must be 'z' or 't'");
        }
        if (cfg.has("size_multiple") && cfg.positiveInt("size_multiple") != step) {
            throw cfg.error("size_multiple", "disagrees with inputs[0] y size step " + step);
        }
        int tile = cfg.positiveInt("tile");
        int halo = cfg.nonNegativeInt("halo");
        Fields b = cfg.optMap("bf16");
        BundleSpec.Bf16Check bf16 = b == null ? null : new BundleSpec.Bf16Check(b.number("max_rel_diff"),
                b.number("mean_rel_diff"), b.number("psnr_vs_fp32_db"),
                b.has("psnr_change_vs_truth_db") ? b.number("psnr_change_vs_truth_db") : null,
                b.optString("measured_on", "test_tensor"), b.optString("cpu", ""));

        Fields tf = r.map("weights").optMap("tensorflow_saved_model_bundle");
        if (tf == null) {
            throw r.error("weights", "has no tensorflow_saved_model_bundle entry; Decrappify runs TensorFlow"
                    + " SavedModels only");
        }
        String tfVersion = tf.optText("tensorflow_version", null);
        if (tfVersion == null) {
            throw tf.error("tensorflow_version", "is missing");
        }
        Fields sums = cfg.optMap("file_sha256");
        List<FileRef> coverRefs = new ArrayList<>();
        for (String cover : covers) {
            coverRefs.add(fileRef(cover, sums == null ? null : sums.optSha256(cover), "covers"));
        }
        Artifacts artifacts = new Artifacts(fileDescr(tf), tfVersion,
                fileDescr(in.map("test_tensor")), fileDescr(out.map("test_tensor")),
                fileRef(documentation, sums == null ? null : sums.optSha256(documentation), "documentation"),
                coverRefs);
        try {
            return new BundleSpec(name, description, version, authors, license, cite, tags, modality, scale, frames,
                    frameAxis, normalisation, step, minimum, tile, halo, cfg.optPlainMap("crappifier"),
                    cfg.optPlainMap("training"), artifacts, bf16);
        } catch (IllegalArgumentException e) {
            throw new BundleException(FILE_NAME + ": " + e.getMessage(), e);
        }
    }

    private static PercentileRange scaleRange(Fields in) throws BundleException {
        for (Fields step : in.optMaps("preprocessing")) {
            if ("scale_range".equals(step.string("id"))) {
                Fields kwargs = step.map("kwargs");
                try {
                    return new PercentileRange(kwargs.number("min_percentile"), kwargs.number("max_percentile"));
                } catch (IllegalArgumentException e) {
                    throw kwargs.error("", e.getMessage());
                }
            }
        }
        throw in.error("preprocessing", "needs a scale_range step (percentile normalisation the model was trained with)");
    }

    /** A {@code {source, sha256}} entry; Decrappify requires the checksum even where 0.5 makes it optional. */
    private static FileRef fileDescr(Fields f) throws BundleException {
        String sha = f.string("sha256");
        if (!BundleSpec.isSha256(sha)) {
            throw f.error("sha256", "must be 64 lower-case hex digits");
        }
        return fileRef(f.string("source"), sha, f.path("source"));
    }

    private static FileRef fileRef(String source, String sha, String path) throws BundleException {
        try {
            return new FileRef(source, sha);
        } catch (IllegalArgumentException e) {
            throw new BundleException(FILE_NAME + ": " + path + " " + e.getMessage().replaceFirst("^\\w+ ", ""));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The four NHWC axes of a tensor, checked for type and order. */
    private record Axes(Fields y, Fields x, int channels) {
        static Axes of(Fields tensor) throws BundleException {
            List<Fields> axes = tensor.maps("axes");
            String[] types = {"batch", "space", "space", "channel"};
            if (axes.size() != 4) {
                throw tensor.error("axes", "must be batch, y, x, channel (TensorFlow NHWC); found " + axes.size() + " axes");
            }
            for (int i = 0; i < 4; i++) {
                if (!types[i].equals(axes.get(i).string("type"))) {
                    throw axes.get(i).error("type", "must be '" + types[i] + "' (axes are batch, y, x, channel)");
                }
            }
            if (!"y".equals(axes.get(1).string("id")) || !"x".equals(axes.get(2).string("id"))) {
                throw tensor.error("axes", "space axes must be y then x");
            }
            return new Axes(axes.get(1), axes.get(2), axes.get(3).strings("channel_names").size());
        }
    }
}
