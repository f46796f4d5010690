package io.github.decrappify.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, path-aware access to a parsed YAML mapping, so every validation failure names the field
 * ({@code inputs[0].axes[1].size.min must be a positive integer}).
 */
final class Fields {

    private final Map<String, Object> map;
    private final String path;

    Fields(Map<String, Object> map, String path) {
        this.map = map;
        this.path = path;
    }

    String path(String key) {
        return path.isEmpty() ? key : key.isEmpty() ? path : path + "." + key;
    }

    BundleException error(String key, String problem) {
        return new BundleException(RdfYaml.FILE_NAME + ": " + path(key) + " " + problem);
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String string(String key) throws BundleException {
        Object v = map.get(key);
        if (v == null) {
            throw error(key, "is missing");
        }
        if (!(v instanceof String s)) {
            throw error(key, "must be a string");
        }
        return s;
    }

    String optString(String key, String fallback) throws BundleException {
        return has(key) ? string(key) : fallback;
    }

    /** A string, or a number written without quotes (YAML reads {@code version: 1.2} as a float). */
    String optText(String key, String fallback) throws BundleException {
        Object v = map.get(key);
        if (v instanceof Integer || v instanceof Long || v instanceof Double) {
            return v.toString();
        }
        return optString(key, fallback);
    }

    String optSha256(String key) throws BundleException {
        String s = optString(key, null);
        if (s != null && !BundleSpec.isSha256(s)) {
            throw error(key, "must be 64 lower-case hex digits");
        }
        return s;
    }

    double number(String key) throws BundleException {
        Object v = map.get(key);
        if (v == null) {
            throw error(key, "is missing");
        }
        if (!(v instanceof Integer || v instanceof Long || v instanceof Double)) {
            throw error(key, "must be a number");
        }
        return ((Number) v).doubleValue();
    }

    double optNumber(String key, double fallback) throws BundleException {
        return has(key) ? number(key) : fallback;
    }

    int positiveInt(String key) throws BundleException {
        Object v = map.get(key);
        if (!(v instanceof Integer i) || i <= 0) {
            throw error(key, "must be a positive integer");
        }
        return i;
    }

    int nonNegativeInt(String key) throws BundleException {
        Object v = map.get(key);
        if (!(v instanceof Integer i) || i < 0) {
            throw error(key, "must be a non-negative integer");
        }
        return i;
    }

    Fields map(String key) throws BundleException {
        Fields f = optMap(key);
        if (f == null) {
            throw error(key, "is missing");
        }
        return f;
    }

    Fields optMap(String key) throws BundleException {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw error(key, "must be a mapping");
        }
        return new Fields(stringKeys(m, path(key)), path(key));
    }

    /** A free-form mapping restricted to plain YAML values; empty when absent. */
    Map<String, Object> optPlainMap(String key) throws BundleException {
        Fields f = optMap(key);
        if (f == null) {
            return Map.of();
        }
        try {
            return BundleSpec.YamlValues.copyMap(f.map, path(key));
        } catch (IllegalArgumentException e) {
            throw new BundleException(RdfYaml.FILE_NAME + ": " + e.getMessage(), e);
        }
    }

    List<Fields> maps(String key) throws BundleException {
        List<?> list = list(key, true);
        List<Fields> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String p = path(key) + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new BundleException(RdfYaml.FILE_NAME + ": " + p + " must be a mapping");
            }
            out.add(new Fields(stringKeys(m, p), p));
        }
        return out;
    }

    List<Fields> optMaps(String key) throws BundleException {
        return has(key) ? maps(key) : List.of();
    }

    List<String> strings(String key) throws BundleException {
        List<?> list = list(key, true);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw new BundleException(RdfYaml.FILE_NAME + ": " + path(key) + "[" + i + "] must be a string");
            }
            out.add(s);
        }
        return out;
    }

    List<String> optStrings(String key) throws BundleException {
        return has(key) ? strings(key) : List.of();
    }

    private List<?> list(String key, boolean required) throws BundleException {
        Object v = map.get(key);
        if (v == null && required) {
            throw error(key, "is missing");
        }
        if (!(v instanceof List<?> list)) {
            throw error(key, "must be a list");
        }
        return list;
    }

    static Map<String, Object> stringKeys(Map<?, ?> m, String path) throws BundleException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new BundleException(RdfYaml.FILE_NAME + ": " + (path.isEmpty() ? "" : path + " ")
                        + "has a non-string key '" + e.getKey() + "'");
            }
            out.put(k, e.getValue());
        }
        return out;
    }
}
