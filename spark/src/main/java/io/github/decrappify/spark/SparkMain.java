package io.github.decrappify.spark;

import io.github.decrappify.cli.Main;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the Spark module: {@code bin/decrappify spark-restore …} and {@code spark-bench …} on
 * one machine, or {@code spark-submit --class io.github.decrappify.spark.SparkMain … spark-restore …}
 * on a cluster. Exit codes as {@code decrappify}: 0 success, 1 the job failed (one line on stderr),
 * 2 bad command line.
 */
@Command(name = "decrappify", mixinStandardHelpOptions = true,
        description = "Decrappify on Apache Spark: restore volumes beyond one machine.",
        subcommands = {SparkRestoreCommand.class, SparkBenchCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain {

    /** System properties that {@code spark/conf/log4j2.properties} reads: task failure logs and stack traces. */
    static final String TASK_LOG = "decrappify.spark.tasks";
    static final String TRACES = "decrappify.spark.trace";

    public static void main(String[] args) {
        debugLogging();
        System.exit(run(null, null, args));
    }

    /**
     * By default Spark's own reports of a failed task (the executor's stack trace, the scheduler's "Lost
     * task") are off and no log line carries a stack trace: the command's one-line error says what failed.
     * With {@code -Ddecrappify.debug=true} they are logged in full, with stack traces. Must run before
     * Spark first logs (log4j reads the properties once); values given explicitly are kept.
     */
    static void debugLogging() {
        if (Boolean.getBoolean("decrappify.debug")) {
            if (System.getProperty(TASK_LOG) == null) {
                System.setProperty(TASK_LOG, "warn");
            }
            if (System.getProperty(TRACES) == null) {
                System.setProperty(TRACES, "full");
            }
        }
    }

    /** Runs a command line and returns its exit code; {@code null} writers mean the console. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Main.execute(new SparkMain(), SparkMain::oneLine, out, err, args);
    }

    /** The innermost message that says something (Spark wraps task failures in several layers). */
    static String oneLine(Throwable ex) {
        Throwable t = ex;
        String m = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                m = t.getMessage();
                if (t instanceof io.github.decrappify.image.BadInputException) {
                    break;
                }
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        if (m == null) {
            m = ex.getClass().getSimpleName();
        }
        String first = m.strip().lines().findFirst().orElse(m);
        return first.strip();
    }
}
