package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;

/** Runs the command line in-process and captures what it prints. */
final class Cli {

    private Cli() {}

    /** Exit code, standard output and standard error of one run. */
    record Result(int code, String out, String err) {

        /** Exit 0 and nothing on stderr. */
        Result assertSuccess() {
            assertEquals(0, code, () -> "exit code; stderr: " + err + "\nstdout: " + out);
            assertEquals("", err.strip(), "stderr of a successful run");
            return this;
        }

        /** Non-zero exit and exactly one non-empty line on stderr that contains every fragment (case-insensitive). */
        Result assertFailure(String... fragments) {
            assertNotEquals(0, code, () -> "exit code; stdout: " + out);
            String line = err.strip();
            assertFalse(line.isEmpty(), "no reason on stderr");
            assertFalse(line.contains("\n"), () -> "stderr is not one line:\n" + err);
            for (String f : fragments) {
                assertTrue(line.toLowerCase(Locale.ROOT).contains(f.toLowerCase(Locale.ROOT)),
                        () -> "stderr lacks '" + f + "': " + line);
            }
            return this;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
