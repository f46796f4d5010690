package io.github.decrappify.fiji.ij1;

import ij.macro.Interpreter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The ImageJ side of {@link MacroRunnerMain}, loaded only after ImageJ has been patched. */
final class MacroRun {

    /** System property the macro's appended last line sets. */
    static final String COMPLETED = "decrappify.macro.completed";

    private MacroRun() {
    }

    /** Runs {@code args[0]} (with argument {@code args[1]}); {@code false} if it was aborted or threw. */
    public static boolean run(String[] args) throws Exception {
        Path file = Paths.get(args[0]);
        String arg = args.length > 1 ? args[1] : "";
        // The last line runs only if nothing aborted the macro (a failed command aborts it).
        String macro = Files.readString(file) + "\ncall(\"java.lang.System.setProperty\", \"" + COMPLETED
                + "\", \"true\");\n";
        String[] result = new String[1];
        Throwable[] error = new Throwable[1];
        // ImageJ hands macro options only to threads it knows as macro threads ("Run$_...").
        Thread thread = new Thread(() -> {
            try {
                result[0] = new Interpreter().run(macro, arg);
            } catch (Throwable t) {
                error[0] = t;
            }
        }, "Run$_" + file.getFileName());
        thread.start();
        thread.join();
        if (error[0] != null) {
            System.out.println("MACRO ERROR: " + error[0]);
            error[0].printStackTrace(System.out);
            return false;
        }
        boolean completed = Boolean.getBoolean(COMPLETED);
        System.out.println(completed ? "MACRO COMPLETED" : "MACRO ABORTED");
        return completed;
    }
}
