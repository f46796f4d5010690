package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 16 item 4: {@code bench --json} is JSON even when a figure could not be measured (it printed NaN). */
class BenchCommandTest {

    @Test
    void notMeasuredIsNullAndTextIsEscaped() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("infer_mpix_s", 10.5);
        r.put("heap_mb", Double.NaN);
        r.put("steps", 3);
        r.put("cpu", "AMD \"EPYC\"");
        assertEquals("{\"infer_mpix_s\":10.5,\"heap_mb\":null,\"steps\":3,\"cpu\":\"AMD \\\"EPYC\\\"\"}", BenchCommand.toJson(r));
    }
}
