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

        /**
         * Exit 0, nothing on stdout, and on stderr only the log: at least one line, none of them an error, a
         * warning or a stack trace (commands that report progress and print no result).
         */
        Result assertSuccessWithLog() {
            assertEquals(0, code, () -> "exit code; stderr: " + err + "\nstdout: " + out);
            assertEquals("", out, "stdout of a command without a result");
            return assertLogOnly();
        }

        /** Exit 0, a result on stdout and the log on stderr (as {@link #assertSuccessWithLog}). */
        Result assertResultWithLog() {
            assertEquals(0, code, () -> "exit code; stderr: " + err + "\nstdout: " + out);
            assertFalse(out.isBlank(), "no result on stdout");
            return assertLogOnly();
        }

        private Result assertLogOnly() {
            assertFalse(err.isBlank(), "no log on stderr");
            for (String l : err.strip().split("\n")) {
                assertFalse(isProblem(l), () -> "not a log line: '" + l + "' in\n" + err);
            }
            return this;
        }

        /** Non-zero exit and exactly one non-empty line on stderr that contains every fragment (case-insensitive). */
        Result assertFailure(String... fragments) {
            assertNotEquals(0, code, () -> "exit code; stdout: " + out);
            String line = err.strip();
            assertFalse(line.isEmpty(), "no reason on stderr");
            assertFalse(line.contains("\n"), () -> "stderr is not one line:\n" + err);
            return assertReason(line, fragments);
        }

        /**
         * Non-zero exit for a job that failed after it started: the reason is the last line of stderr, contains
         * every fragment, and is its only error; the lines before it are the log (no stack trace).
         */
        Result assertFailureAfterLog(String... fragments) {
            assertNotEquals(0, code, () -> "exit code; stdout: " + out);
            String[] lines = err.strip().split("\n");
            assertTrue(lines.length > 1, () -> "no log before the reason:\n" + err);
            for (int i = 0; i < lines.length - 1; i++) {
                String l = lines[i];
                assertFalse(isProblem(l), () -> "not a log line: '" + l + "' in\n" + err);
            }
            return assertReason(lines[lines.length - 1], fragments);
        }

        private Result assertReason(String line, String... fragments) {
            assertTrue(line.matches("decrappify [a-z -]+: error: .+"), () -> "not a reason: " + line);
            for (String f : fragments) {
                assertTrue(line.toLowerCase(Locale.ROOT).contains(f.toLowerCase(Locale.ROOT)),
                        () -> "stderr lacks '" + f + "': " + line);
            }
            return this;
        }
    }

    /** An error, failure or warning line, or a stack trace: what the log of a run must not contain. */
    static boolean isProblem(String line) {
        String l = line.toLowerCase(Locale.ROOT);
        return l.contains("error") || l.contains("failed: ") || l.contains("warn") || l.contains("exception")
                || line.startsWith("\tat ") || line.startsWith("Caused by");
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
