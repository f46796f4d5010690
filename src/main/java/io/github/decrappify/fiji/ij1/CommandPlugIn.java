package io.github.decrappify.fiji.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;
import java.awt.GraphicsEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.log.LogListener;
import org.scijava.log.LogService;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

/**
 * How {@code run("Restore...", "...")}, the Plugins › Decrappify menu and the Recorder reach the
 * Decrappify SciJava commands, in Fiji, in plain ImageJ and in the headless tests alike.
 *
 * <p>Each menu entry is one line of the plugin jar's {@code plugins.config}, which ImageJ 1 reads at
 * start-up, e.g. {@code Plugins>Decrappify, "Restore...", io.github.decrappify.fiji.ij1.CommandPlugIn("io.github.decrappify.fiji.RestoreCommand")}.
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

    @Override
    public void run(String className) {
        String options = Macro.getOptions();
        try {
            Class<?> type = Engines.load(className.strip());
            runCommand(type.asSubclass(Command.class), options);
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

    private static void runCommand(Class<? extends Command> type, String options) {
        Context context = BridgeContext.get();
        CommandInfo info = new CommandInfo(type);
        ModuleService modules = context.service(ModuleService.class);
        CommandModule module = (CommandModule) modules.createModule(info);
        List<ModuleItem<?>> items = MacroOptions.userInputs(info.inputs());
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (ModuleItem<?> item : items) {
            defaults.put(item.getName(), module.getInput(item.getName()));
        }
        String label = label(info);
        Map<String, Object> values;
        if (options != null || GraphicsEnvironment.isHeadless() || IJ.getInstance() == null) {
            values = MacroOptions.parse(options, items, defaults);
        } else {
            values = ParameterDialog.ask(label, info.getDescription(), items, remembered(type, items, defaults));
            if (values == null) {
                return;
            }
            remember(type, items, values);
        }
        if (options == null && Recorder.record) {
            record(items, values, defaults);
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            module.setInput(e.getKey(), e.getValue());
            module.resolveInput(e.getKey());
        }
        LogService log = context.service(LogService.class);
        LogListener toImageJLog = m -> {
            if (m.text() != null && m.text().startsWith("Decrappify")) {
                IJ.log(m.text());
            }
        };
        log.addLogListener(toImageJLog);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // DJL finds its engine through ServiceLoader with the context class loader.
        Thread.currentThread().setContextClassLoader(type.getClassLoader());
        try {
            module.run();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
            log.removeLogListener(toImageJLog);
        }
        if (module.isCanceled()) {
            return;
        }
        for (ModuleItem<?> out : info.outputs()) {
            Object value = module.getOutput(out.getName());
            if (value instanceof ImagePlus imp) {
                imp.show();
            }
        }
    }

    /** The menu label: the last element of the command's menu path ("Restore..."). */
    static String label(CommandInfo info) {
        String title = info.getMenuPath() != null && info.getMenuPath().getLeaf() != null
                ? info.getMenuPath().getLeaf().getName() : null;
        return title != null ? title : info.getTitle();
    }

    static void record(List<ModuleItem<?>> items, Map<String, Object> values, Map<String, Object> defaults) {
        // The dialog may have recorded keys of its own; ours are the parameter names. Paths go through
        // recordOption too: recordPath silently drops a path after another plugin disabled path recording.
        Recorder.resetCommandOptions();
        MacroOptions.recorded(items, values, defaults, WindowManager.getCurrentImage()).forEach((key, text) -> {
            if (text == null) {
                Recorder.recordOption(key);
            } else {
                Recorder.recordOption(key, text);
            }
        });
    }

    private static Map<String, Object> remembered(Class<?> type, List<ModuleItem<?>> items, Map<String, Object> defaults) {
        Map<String, Object> values = new LinkedHashMap<>(defaults);
        for (ModuleItem<?> item : items) {
            String saved = ij.Prefs.get(PREFS + type.getSimpleName() + "." + item.getName(), null);
            if (ImagePlus.class.equals(item.getType())) {
                values.put(item.getName(), WindowManager.getCurrentImage());
                continue;
            }
            if (saved == null) {
                continue;
            }
            try {
                values.put(item.getName(), MacroOptions.convert(item, saved));
            } catch (IllegalArgumentException e) {
                // a value remembered from an older version: keep the default
            }
        }
        return values;
    }

    private static void remember(Class<?> type, List<ModuleItem<?>> items, Map<String, Object> values) {
        for (ModuleItem<?> item : items) {
            Object v = values.get(item.getName());
            if (!(v instanceof ImagePlus)) {
                // An emptied field is remembered as empty, so the old value does not come back.
                ij.Prefs.set(PREFS + type.getSimpleName() + "." + item.getName(), v == null ? "" : MacroOptions.text(v));
            }
        }
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
