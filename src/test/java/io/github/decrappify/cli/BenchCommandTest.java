package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Issue 15: --precision and --threads are checked before anything is measured or loaded. */
    @Test
    void badPrecisionOrThreadsAreABadCommandLine() {
        Cli.Result p = Cli.run("bench", "--precision", "fp16", "--only", "infer");
        assertEquals(2, p.code(), p.err());
        p.assertFailure("--precision must be auto, fp32 or bf16, not 'fp16'");
        Cli.Result t = Cli.run("bench", "--threads", "-1", "--only", "infer");
        assertEquals(2, t.code(), t.err());
        t.assertFailure("--threads");
        String help = Cli.run("bench", "--help").out();
        assertTrue(help.contains("--precision") && help.contains("--threads") && help.contains("MatMul peak"), help);
    }
}
