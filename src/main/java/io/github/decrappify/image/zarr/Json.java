package io.github.decrappify.image.zarr;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.github.decrappify.image.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small JSON helpers for Zarr metadata (Gson tree model). */
public final class Json {

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private Json() {
    }

    public static JsonElement read(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static void writeAtomically(Path file, JsonElement e) throws IOException {
        AtomicFiles.writeString(file, PRETTY.toJson(e) + "\n");
    }

    public static String toString(JsonElement e) {
        return PRETTY.toJson(e);
    }

    /**
     * An array of whole numbers, each exactly as written (no rounding, no wrap-around), at most {@code maxLength} long.
     *
     * @throws IllegalArgumentException naming {@code field} and the offending element
     */
    static long[] exactLongs(JsonElement e, String field, int maxLength) {
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

    static JsonArray array(long[] v) {
        JsonArray a = new JsonArray();
        for (long x : v) {
            a.add(x);
        }
        return a;
    }

    static JsonArray array(int[] v) {
        JsonArray a = new JsonArray();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    static JsonArray array(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) {
            a.add(x);
        }
        return a;
    }
}
