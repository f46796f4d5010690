package io.github.decrappify.crappify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Crappifier parameters as YAML, the form recorded in a model bundle's {@code config.decrappify} and
 * passed to {@code crappify --preset FILE}:
 * <pre>
 * scale: 4
 * blur_sigma: 0.0
 * poisson_peak: [15.0, 150.0]     # or one number for a fixed level; .inf = no shot noise
 * gaussian_sigma: [0.005, 0.03]
 * downsample: area                # area | bilinear | nearest
 * clip: true
 * </pre>
 * When reading, {@code preset: em} (or {@code fluo}) supplies every key not given, so a file can hold
 * just the differences; unknown keys are rejected so that a typo does not pass silently. Only plain
 * maps, lists and scalars are read (SnakeYAML's safe constructor: no class instantiation).
 */
public final class PresetIO {

    private static final Set<String> KEYS = Set.of("preset", "scale", "blur_sigma", "poisson_peak", "gaussian_sigma",
            "downsample", "clip");

    private PresetIO() {
    }

    public static Map<String, Object> toMap(CrappifierParams p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scale", p.scale());
        m.put("blur_sigma", p.blurSigma());
        m.put("poisson_peak", rangeValue(p.poissonPeak()));
        m.put("gaussian_sigma", rangeValue(p.gaussianSigma()));
        m.put("downsample", p.downsample().name().toLowerCase(Locale.ROOT));
        m.put("clip", p.clip());
        return m;
    }

    /** Parses a map as produced by {@link #toMap}; throws {@link IllegalArgumentException} naming the bad key. */
    public static CrappifierParams fromMap(Map<?, ?> m) {
        for (Object k : m.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new IllegalArgumentException("unknown crappifier key '" + k + "', expected one of " + KEYS);
            }
        }
        Object scaleValue = m.get("scale");
        Object presetValue = m.get("preset");
        if (scaleValue == null && presetValue == null) {
            throw new IllegalArgumentException("crappifier parameters need 'scale' (or a 'preset' to start from)");
        }
        double scaleNumber = scaleValue == null ? 4 : number("scale", scaleValue);
        if (scaleNumber != Math.rint(scaleNumber) || scaleNumber < 1 || scaleNumber > CrappifierParams.MAX_SCALE) {
            // Checked before the cast: (int) 1e12 would have become 2147483647.
            throw new IllegalArgumentException("'scale' must be an integer from 1 to " + CrappifierParams.MAX_SCALE
                    + ", not " + scaleValue);
        }
        int scale = (int) scaleNumber;
        CrappifierParams base = presetValue == null ? null : Presets.named(String.valueOf(presetValue), scale);
        double blur = m.containsKey("blur_sigma") ? number("blur_sigma", m.get("blur_sigma")) : require(base, "blur_sigma").blurSigma();
        Range peak = m.containsKey("poisson_peak") ? range("poisson_peak", m.get("poisson_peak")) : require(base, "poisson_peak").poissonPeak();
        Range sigma = m.containsKey("gaussian_sigma") ? range("gaussian_sigma", m.get("gaussian_sigma")) : require(base, "gaussian_sigma").gaussianSigma();
        DownsampleMode mode = m.containsKey("downsample") ? mode(m.get("downsample")) : require(base, "downsample").downsample();
        boolean clip = m.containsKey("clip") ? bool(m.get("clip")) : require(base, "clip").clip();
        return new CrappifierParams(scale, blur, peak, sigma, mode, clip);
    }

    public static String toYaml(CrappifierParams p) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.AUTO);
        return new Yaml(o).dump(toMap(p));
    }

    public static CrappifierParams fromYaml(String yaml) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        if (!(doc instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("crappifier YAML must be a mapping, got: " + (doc == null ? "nothing" : doc.getClass().getSimpleName()));
        }
        return fromMap(m);
    }

    public static void write(Path file, CrappifierParams p) throws IOException {
        Files.writeString(file, toYaml(p), StandardCharsets.UTF_8);
    }

    public static CrappifierParams read(Path file) throws IOException {
        try {
            return fromYaml(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            // The parser's message spans lines (a snippet with a caret): keep its first line, and name the file.
            String m = String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("");
            throw new IllegalArgumentException(file + " is not valid YAML: " + m, e);
        }
    }

    private static Object rangeValue(Range r) {
        return r.isFixed() ? (Object) r.min() : List.of(r.min(), r.max());
    }

    private static CrappifierParams require(CrappifierParams base, String key) {
        if (base == null) {
            throw new IllegalArgumentException("missing '" + key + "' (give it, or a 'preset' to start from)");
        }
        return base;
    }

    private static double number(String key, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("'" + key + "' must be a number, got " + v);
    }

    private static Range range(String key, Object v) {
        if (v instanceof List<?> l) {
            if (l.size() != 2) {
                throw new IllegalArgumentException("'" + key + "' must be [min, max], got " + l);
            }
            double min = number(key, l.get(0));
            double max = number(key, l.get(1));
            if (!(min <= max)) {
                throw new IllegalArgumentException("'" + key + "' must be [min, max] with min <= max, got " + l);
            }
            return new Range(min, max);
        }
        double value = number(key, v);
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("'" + key + "' must be a number, got " + v);
        }
        return Range.of(value);
    }

    private static DownsampleMode mode(Object v) {
        try {
            return DownsampleMode.valueOf(String.valueOf(v).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'downsample' must be area, bilinear or nearest, got " + v, e);
        }
    }

    private static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("'clip' must be true or false, got " + v);
    }
}
