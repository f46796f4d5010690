package io.github.decrappify.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 4: one JSON writer; non-finite numbers are null, never the bare NaN JSON readers reject. */
class JsonTest {

    @Test
    void nonFiniteNumbersBecomeNullEverywhere() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("minus_inf", Float.NEGATIVE_INFINITY);
        m.put("x", 1.5);
        m.put("n", 3);
        m.put("list", List.of(Double.NaN, 2.0));
        m.put("array", new double[] {Double.NaN, 0.25});
        JsonObject given = new JsonObject();
        given.addProperty("nan", Double.NaN);
        m.put("tree", given);
        m.put("s", "a \"quoted\" \\ <name>\n");
        String json = Json.compact(m);
        assertEquals("{\"nan\":null,\"inf\":null,\"minus_inf\":null,\"x\":1.5,\"n\":3,\"list\":[null,2.0],"
                + "\"array\":[null,0.25],\"tree\":{\"nan\":null},\"s\":\"a \\\"quoted\\\" \\\\ <name>\\n\"}", json);
        JsonObject back = JsonParser.parseString(json).getAsJsonObject(); // strict enough for any reader
        assertTrue(back.get("nan").isJsonNull());
        assertEquals("a \"quoted\" \\ <name>\n", back.get("s").getAsString());
        JsonArray a = Json.array(new double[] {1, Double.NaN});
        assertTrue(a.get(1).isJsonNull());
    }

    @Test
    void sixDigitsWritesAsPrintfDoes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 40.0);
        m.put("b", 1e-5);
        m.put("c", Double.NaN);
        m.put("d", List.of(Map.of("e", 0.123456789)));
        m.put("i", 7);
        assertEquals("{\"a\":40.0000,\"b\":1.00000e-05,\"c\":null,\"d\":[{\"e\":0.123457}],\"i\":7}",
                Json.compact(Json.sixDigitTree(m)));
        assertEquals("30.0000", Json.compact(Json.sixDigits(30)));
        assertEquals("null", Json.compact(Json.sixDigits(Double.NEGATIVE_INFINITY)));
    }

    @Test
    void filesArePrettyWithAFinalNewlineAndReadBack(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.json");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("done", true);
        m.put("v", Double.NaN);
        Json.writeAtomically(f, m);
        assertEquals("{\n  \"done\": true,\n  \"v\": null\n}\n", Files.readString(f));
        assertTrue(Json.read(f).getAsJsonObject().get("done").getAsBoolean());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }
}
