package io.github.decrappify.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.github.decrappify.runtime.Precision;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-restore command line: help, exit codes and one-line reasons for what fails before Spark starts. */
class SparkMainTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpDocumentsTheOptions() {
        Run r = run("spark-restore", "--help");
        assertEquals(0, r.code());
        for (String option : new String[] {"--master", "--partitions", "--chunk", "--device", "--precision", "--overwrite", "shared file system"}) {
            assertTrue(r.out().contains(option), option + " missing from:\n" + r.out());
        }
        Run bench = run("spark-bench", "--help");
        assertEquals(0, bench.code());
        assertTrue(bench.out().contains("--precision"), bench.out());
    }

    /** The bundled EM model of the checkout (tests run in spark/). */
    private static final String EM = Path.of("..", "models", "em-x4-unet-s").toString();

    /** spark-bench runs in the precision asked for and names it (a 64x64x1 volume, the restore run only: no Spark). */
    @Test
    void sparkBenchNamesItsPrecision() throws Exception {
        Run fp32 = run("spark-bench", "-m", EM, "--size", "64", "--slices", "1", "--runs", "restore", "--precision", "fp32",
                "--device", "cpu", "--json", "--work", dir.resolve("work").toString());
        assertEquals(0, fp32.code(), fp32.err());
        assertTrue(fp32.out().contains("\"precision\": \"fp32\"") && fp32.out().contains("\"precision_reason\": \"asked\""),
                fp32.out());
        Run bad = run("spark-bench", "--precision", "half");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("decrappify spark-bench: error: ") && bad.err().contains("half"), bad.err());
        Assumptions.assumeTrue(Precision.cpuHasNativeBf16(), "no native bf16 here");
        Run auto = run("spark-bench", "-m", EM, "--size", "64", "--slices", "1", "--runs", "restore", "--device", "cpu", "--json",
                "--work", dir.resolve("work").toString());
        assertEquals(0, auto.code(), auto.err());
        assertTrue(auto.out().contains("\"precision\": \"bf16\""), "the bundled EM model's check allows bf16: " + auto.out());
    }

    @Test
    void badCommandLinesAndInputsFailWithOneLine() throws Exception {
        Run r = run("spark-restore", "-m", "em-x4-unet-s", "-i", dir.resolve("none.ome.zarr").toString(), "-o",
                dir.resolve("out.ome.zarr").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().strip().contains("input not found") && !r.err().strip().contains("\n"), r.err());
        assertFalse(Files.exists(dir.resolve("out.ome.zarr")));

        r = run("spark-restore", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--help"), r.err());

        Path in = Files.createDirectories(dir.resolve("in.ome.zarr"));
        r = run("spark-restore", "-m", "no-such-model", "-i", in.toString(), "-o", dir.resolve("o.ome.zarr").toString(),
                "--models-dir", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no-such-model") && !r.err().strip().contains("\n"), r.err());

        r = run("spark-restore", "-m", "x", "-i", in.toString(), "-o", dir.resolve("o.ome.zarr").toString(),
                "--out-type", "double");
        assertEquals(2, r.code(), "a bad option value is a bad command line");
        assertTrue(r.err().contains("--out-type must be float or same"), r.err());

        r = run("spark-restore", "-m", "x", "-i", in.toString(), "-o", dir.resolve("o.ome.zarr").toString(),
                "--precision", "half");
        assertEquals(2, r.code(), "a bad precision is a bad command line: " + r.err());
        assertTrue(r.err().startsWith("decrappify spark-restore: error: ") && r.err().contains("half")
                && !r.err().strip().contains("\n"), r.err());
        assertFalse(Files.exists(dir.resolve("o.ome.zarr")));
    }
}
