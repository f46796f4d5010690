package io.github.decrappify.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.junit.jupiter.api.Test;

/**
 * The logging of {@code bin/decrappify spark-restore} ({@code conf/log4j2.properties}): a failed task
 * ends in the command's one-line error only, without Spark's executor stack traces before it, unless
 * {@code -Ddecrappify.debug=true} (issue 13, Smaller). Spark's own loggers are fed what they log when a
 * task fails, through the real configuration file.
 */
class SparkLoggingTest {

    @Test
    void taskFailuresAndStackTracesAreOffUnlessDebugging() throws Exception {
        List<String> quiet = sparkFailureLog(false);
        assertEquals(List.of("WARN TaskSchedulerImpl: Initial job has not accepted any resources; check your cluster UI"),
                quiet, "only a warning that is not about the failed task, without its trace");

        List<String> debug = sparkFailureLog(true);
        assertTrue(debug.contains("ERROR Executor: Exception in task 0.0 in stage 1.0 (TID 1)"), debug.toString());
        assertTrue(debug.contains("WARN TaskSetManager: Lost task 0.0 in stage 1.0 (TID 1)"), debug.toString());
        assertTrue(debug.contains("java.lang.IllegalStateException: simulated crash"), debug.toString());
        assertTrue(debug.stream().anyMatch(l -> l.startsWith("\tat io.github.decrappify.spark.SparkLoggingTest")),
                "stack traces when debugging: " + debug);
    }

    /** What the configuration prints for a failed task (time stamps removed). */
    private static List<String> sparkFailureLog(boolean debugging) throws Exception {
        String before = System.getProperty("decrappify.debug");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = System.err;
        LoggerContext context = new LoggerContext("spark-conf-test-" + debugging);
        try {
            System.setProperty("decrappify.debug", String.valueOf(debugging));
            SparkMain.debugLogging();
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            Configuration config = ConfigurationFactory.getInstance().getConfiguration(context,
                    ConfigurationSource.fromUri(Path.of("conf/log4j2.properties").toUri()));
            context.start(config);
            Exception crash = new IllegalStateException("simulated crash", new RuntimeException("in the model"));
            context.getLogger("org.apache.spark.executor.Executor").error("Exception in task 0.0 in stage 1.0 (TID 1)", crash);
            Logger tsm = context.getLogger("org.apache.spark.scheduler.TaskSetManager");
            tsm.warn("Lost task 0.0 in stage 1.0 (TID 1)", crash);
            tsm.error("Task 0 in stage 1.0 failed 1 times; aborting job");
            context.getLogger("org.apache.spark.SparkContext").error("Error initializing SparkContext.", crash);
            context.getLogger("org.apache.spark.scheduler.TaskSchedulerImpl")
                    .warn("Initial job has not accepted any resources; check your cluster UI", crash);
            context.getLogger("org.apache.spark.scheduler.DAGScheduler").info("Job 1 failed");
        } finally {
            context.stop();
            System.setErr(err);
            System.clearProperty(SparkMain.TASK_LOG);
            System.clearProperty(SparkMain.TRACES);
            if (before == null) {
                System.clearProperty("decrappify.debug");
            } else {
                System.setProperty("decrappify.debug", before);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.replaceFirst("^\\d\\d:\\d\\d:\\d\\d ", ""))
                .filter(l -> !l.isEmpty()).toList();
    }
}
