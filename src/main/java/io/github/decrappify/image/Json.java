package io.github.decrappify.image;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Every JSON file and {@code --json} output of the project, through Gson: Zarr metadata, the restore manifest,
 * the training summary, {@code evaluate --json}, {@code bench --json}.
 *
 * <p>Values are Gson trees or plain Java values ({@link #tree}: maps, lists, arrays, numbers, strings, booleans,
 * null). JSON has no NaN or infinity: a non-finite number is written as {@code null} (a PSNR of identical images,
 * a timing that was not measured), never as the bare {@code NaN} that JSON readers reject.
 */
public final class Json {

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .create();
    private static final Gson COMPACT = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Json() {
    }

    public static JsonElement read(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Writes {@code value} ({@link #tree}) pretty-printed, with a final newline, through {@link AtomicFiles}. */
    public static void writeAtomically(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, pretty(value) + "\n");
    }

    /** {@code value} ({@link #tree}) pretty-printed (two-space indent), without a final newline. */
    public static String pretty(Object value) {
        return PRETTY.toJson(tree(value));
    }

    /** {@code value} ({@link #tree}) on one line without spaces: the {@code --json} outputs. */
    public static String compact(Object value) {
        return COMPACT.toJson(tree(value));
    }

    /**
     * {@code value} as a Gson tree: a {@link JsonElement} as it is; a {@link Map} (keys by {@code String.valueOf},
     * in the map's order), an {@link Iterable} or a {@code double[]}/{@code long[]}/{@code int[]} element by
     * element; numbers, booleans and null as themselves; anything else as its {@code toString()}. Non-finite
     * numbers, also inside a given tree, become {@code null}.
     */
    public static JsonElement tree(Object value) {
        return tree(value, false);
    }

    /** {@link #tree}, with every floating-point number to {@link #sixDigits six significant digits}. */
    public static JsonElement sixDigitTree(Object value) {
        return tree(value, true);
    }

    private static JsonElement tree(Object value, boolean six) {
        if (value == null) {
            return JsonNull.INSTANCE;
        } else if (value instanceof JsonElement e) {
            return finite(e);
        } else if (value instanceof Map<?, ?> m) {
            JsonObject o = new JsonObject();
            m.forEach((k, v) -> o.add(String.valueOf(k), tree(v, six)));
            return o;
        } else if (value instanceof Iterable<?> l) {
            JsonArray a = new JsonArray();
            l.forEach(v -> a.add(tree(v, six)));
            return a;
        } else if (value instanceof double[] d) {
            return array(d);
        } else if (value instanceof long[] d) {
            return array(d);
        } else if (value instanceof int[] d) {
            return array(d);
        } else if (value instanceof Number n) {
            return six && (n instanceof Double || n instanceof Float) ? sixDigits(n.doubleValue()) : number(n);
        } else if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        return new JsonPrimitive(String.valueOf(value));
    }

    /**
     * {@code v} to six significant digits, as {@code String.format("%.6g")} writes it ({@code 40.0000},
     * {@code 1.00000e-05}); {@code null} if it is not finite. For outputs whose numbers are read by people
     * as well as scripts.
     */
    public static JsonElement sixDigits(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(new Formatted(v, String.format(Locale.ROOT, "%.6g", v)))
                : JsonNull.INSTANCE;
    }

    private static JsonElement number(Number n) {
        if (n instanceof Formatted) {
            return new JsonPrimitive(n);
        }
        if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
            return JsonNull.INSTANCE;
        }
        return new JsonPrimitive(n);
    }

    private static JsonElement finite(JsonElement e) {
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isNumber()) {
                Number n = p.getAsNumber();
                if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
                    return JsonNull.INSTANCE;
                }
            }
            return e;
        }
        if (e.isJsonArray()) {
            JsonArray a = new JsonArray();
            e.getAsJsonArray().forEach(x -> a.add(finite(x)));
            return a;
        }
        if (e.isJsonObject()) {
            JsonObject o = new JsonObject();
            e.getAsJsonObject().entrySet().forEach(x -> o.add(x.getKey(), finite(x.getValue())));
            return o;
        }
        return e;
    }

    /** A number that Gson writes exactly as {@code text} (a valid JSON number). */
    private static final class Formatted extends Number {
        private final double value;
        private final String text;

        Formatted(double value, String text) {
            this.value = value;
            this.text = text;
        }

        @Override
        public int intValue() {
            return (int) value;
        }

        @Override
        public long longValue() {
            return (long) value;
        }

        @Override
        public float floatValue() {
            return (float) value;
        }

        @Override
        public double doubleValue() {
            return value;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * An array of whole numbers, each exactly as written (no rounding, no wrap-around), at most {@code maxLength} long.
     *
     * @throws IllegalArgumentException naming {@code field} and the offending element
     */
    public static long[] exactLongs(JsonElement e, String field, int maxLength) {
        if (e == null || !e.isJsonArray()) {
            throw new IllegalArgumentException(field + " must be an array of whole numbers");
        }
        JsonArray a = e.getAsJsonArray();
        if (a.size() > maxLength) {
            throw new IllegalArgumentException(field + " has " + a.size() + " values (at most " + maxLength + ")");
        }
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            JsonElement x = a.get(i);
            try {
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                    throw new NumberFormatException();
                }
                v[i] = x.getAsBigDecimal().longValueExact();
            } catch (NumberFormatException | ArithmeticException ex) {
                String text = x.toString();
                throw new IllegalArgumentException(field + "[" + i + "] = " + (text.length() > 40 ? text.substring(0, 40)
                        + "..." : text) + " is not a whole number within 64 bits");
            }
        }
        return v;
    }

    public static JsonArray array(long[] v) {
        JsonArray a = new JsonArray();
        for (long x : v) {
            a.add(x);
        }
        return a;
    }

    public static JsonArray array(int[] v) {
        JsonArray a = new JsonArray();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    /** Non-finite values become {@code null}. */
    public static JsonArray array(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) {
            a.add(Double.isFinite(x) ? new JsonPrimitive(x) : JsonNull.INSTANCE);
        }
        return a;
    }
}
