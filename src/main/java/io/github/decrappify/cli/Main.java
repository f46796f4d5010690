package io.github.decrappify.cli;

import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/decrappify}: thin picocli front end over the same engine classes the Fiji commands use.
 * Exit codes: 0 success, 1 the job failed (one-line reason on stderr), 2 bad command line.
 */
@Command(name = "decrappify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Deep-learning super-resolution and denoising for electron and fluorescence microscopy.",
        footer = {"", "Volumes beyond one machine (Apache Spark module, built on first use): spark-restore, spark-bench;",
                "see 'decrappify spark-restore --help'."},
        subcommands = {RestoreCommand.class, CrappifyCommand.class, TrainCommand.class, EvaluateCommand.class, ModelsCommand.class,
                BenchCommand.class, FineTuneCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /**
     * Runs a command line with its output and errors going to the given writers ({@code null}: the
     * console); commands print through these, so tests can capture both.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return execute(new Main(), Main::oneLine, out, err, args);
    }

    /**
     * Runs {@code args} against a picocli {@code root} command with this tool's conventions, shared
     * with the Spark module's entry point: exit 1 and one line on stderr when a command fails, exit 2
     * and one line (not picocli's usage dump: scripts read stderr, people can ask for --help) for a bad
     * command line; {@code -Ddecrappify.debug=true} adds the stack trace.
     *
     * @param describe the one-line message for a failure
     */
    public static int execute(Object root, Function<Throwable, String> describe, PrintWriter out,
            PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(root);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            PrintWriter e = line.getErr();
            if (ex instanceof BadOptionException) {
                e.println(line.getCommandSpec().qualifiedName() + ": error: " + describe.apply(ex) + " (see '"
                        + line.getCommandSpec().qualifiedName() + " --help')");
                e.flush();
                return 2;
            }
            e.println(line.getCommandSpec().qualifiedName() + ": error: " + describe.apply(ex));
            if (Boolean.getBoolean("decrappify.debug")) {
                ex.printStackTrace(e);
            }
            e.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            CommandLine line = ex.getCommandLine();
            PrintWriter e = line.getErr();
            e.println(line.getCommandSpec().qualifiedName() + ": error: " + describe.apply(ex) + " (see '"
                    + line.getCommandSpec().qualifiedName() + " --help')");
            e.flush();
            return 2;
        });
        try {
            return cl.execute(args);
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
        }
    }

    /**
     * The command line as a user would retype it in a POSIX shell, for provenance: {@code originalArgs}
     * of the top-level parse (it already holds the sub-command name), each argument quoted when needed.
     */
    static String commandLine(CommandLine.Model.CommandSpec spec) {
        CommandLine root = spec.commandLine();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        StringBuilder b = new StringBuilder("bin/decrappify");
        for (String a : root.getParseResult().originalArgs()) {
            b.append(' ').append(shellQuote(a));
        }
        return b.toString();
    }

    static String shellQuote(String a) {
        if (!a.isEmpty() && a.matches("[A-Za-z0-9_./:=,+@%-]+")) {
            return a;
        }
        return "'" + a.replace("'", "'\\''") + "'";
    }

    static String oneLine(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            m = ex.getClass().getSimpleName();
        }
        return m.replace('\n', ' ').strip();
    }

    /** Version of this build and of the TensorFlow runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"decrappify " + io.github.decrappify.runtime.Versions.decrappify() + ", TensorFlow "
                    + io.github.decrappify.runtime.Versions.tensorflow()};
        }
    }
}
