package io.github.decrappify.fiji.ij1;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code run("Decrappify Restore...", "...")}, the Plugins › Decrappify menu and the Recorder reach the
 * Decrappify SciJava commands, in Fiji, in plain ImageJ and in the headless tests alike.
 *
 * <p>Each menu entry is one line of the plugin jar's {@code plugins.config}, which ImageJ 1 reads at
 * start-up, e.g. {@code Plugins>Decrappify, "Decrappify Restore...", io.github.decrappify.fiji.ij1.CommandPlugIn("io.github.decrappify.fiji.RestoreCommand")}.
 * ImageJ then runs this plug-in with the command's class name; it
 * <ol>
 * <li>loads the command class through {@link Engines} (isolated from other plugins' TensorFlow in Fiji);</li>
 * <li>reads the parameters from the macro options when a macro runs it ({@link MacroOptions}: keys are
 *     the parameter names), else asks for them in a dialog (remembering the last values), else (headless,
 *     no options) uses the defaults — never a prompt without a screen;</li>
 * <li>records {@code run("<label>", "<options>")} when the Recorder is on;</li>
 * <li>runs the command in the calling thread (a macro waits for it) in Fiji's SciJava context, or in a
 *     small one of its own outside Fiji, showing its output images and copying its log lines to the
 *     ImageJ Log window (so {@code getInfo("log")} sees them).</li>
 * </ol>
 * A command that fails has already logged one line and aborted the macro; a bad option does the same here.
 *
 * <p>This class uses ImageJ 1 and the JDK only, so that it loads in a plain ImageJ without SciJava and
 * can say so in one line (ImageJ itself swallows a missing class of a plug-in whose name has no
 * underscore); the SciJava half is {@link CommandRunner}.
 */
public final class CommandPlugIn implements PlugIn {

    private static final String PREFS = "decrappify.";

    static {
        // DJL logs through SLF4J; without these, every run prints CUDA probe warnings on CPU-only machines.
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Classes the commands need from Fiji's class path, by the jar that ships them. */
    static final Map<String, String> NEEDED = new LinkedHashMap<>();

    static {
        NEEDED.put("scijava-common", "org.scijava.Context");
        NEEDED.put("parsington", "org.scijava.parsington.Variable");
        NEEDED.put("imglib2", "net.imglib2.RandomAccessibleInterval");
    }

    @Override
    public void run(String className) {
        List<String> missing = missing(CommandPlugIn.class.getClassLoader());
        if (!missing.isEmpty()) {
            fail(missingMessage(missing));
            return;
        }
        String options = Macro.getOptions();
        String name = className.strip();
        boolean oldName = name.startsWith(OLD_NAME);
        if (oldName) {
            name = name.substring(OLD_NAME.length());
        }
        try {
            CommandRunner.run(name, options, oldName);
        } catch (ClassNotFoundException | ClassCastException e) {
            fail("cannot load " + className + " (" + e + "); reinstall Decrappify (its engine folder is "
                    + Engines.FIJI_ENGINE_DIR + ")");
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
        } catch (LinkageError | RuntimeException e) {
            // Typically another plugin's classes of the same name (TensorFlow 1.x, protobuf) on a flat class path.
            fail(className.replaceAll(".*\\.", "") + " failed: " + e + (Engines.isolated() ? ""
                    : "; if other Fiji plugins ship TensorFlow classes, install Decrappify from its update site,"
                            + " which keeps its TensorFlow in " + Engines.FIJI_ENGINE_DIR));
        }
    }

    /** Prefix of the argument of the 0.1 menu names ("Restore..."), kept so that old macros still run. */
    static final String OLD_NAME = "old:";

    /** The jars of {@link #NEEDED} whose classes {@code loader} cannot find. */
    static List<String> missing(ClassLoader loader) {
        List<String> missing = new ArrayList<>();
        NEEDED.forEach((jar, probe) -> {
            try {
                Class.forName(probe, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(jar);
            }
        });
        return missing;
    }

    static String missingMessage(List<String> jars) {
        return "the commands need the SciJava jars, which Fiji has and plain ImageJ lacks (missing: "
                + String.join(", ", jars) + "); run Decrappify in Fiji, or copy "
                + String.join(", ", jars.stream().map(j -> j + "-<version>.jar").toList())
                + " from Fiji's jars/ folder into ImageJ's jars/ folder and restart ImageJ";
    }

    /** A problem found before the command ran: one line, a dialog when there is a screen, the macro stops. */
    private static void fail(String message) {
        String line = "Decrappify: " + (message == null ? "unknown error" : message.replace('\n', ' ').strip());
        IJ.log(line);
        if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null && !IJ.isMacro()) {
            IJ.error("Decrappify", line);
        }
        if (Interpreter.getInstance() != null) {
            Interpreter.abort();
        }
    }
}
