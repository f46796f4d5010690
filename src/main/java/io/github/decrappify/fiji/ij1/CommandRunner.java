package io.github.decrappify.fiji.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.frame.Recorder;
import java.awt.GraphicsEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.log.LogListener;
import org.scijava.log.LogService;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

/**
 * The SciJava half of {@link CommandPlugIn}: reads the options or asks for them, records, and runs the
 * command in its context. Only loaded once {@link CommandPlugIn} has found SciJava on the class path.
 */
final class CommandRunner {

    private static final String PREFS = "decrappify.";

    private CommandRunner() {
    }

    private static final Set<String> TOLD = ConcurrentHashMap.newKeySet();

    /**
     * Loads the command class from the engine and runs it with the macro {@code options} (or a dialog).
     *
     * @param oldName run through its 0.1 menu name ("Restore..."): says once per session what to write instead
     */
    static void run(String className, String options, boolean oldName) throws ClassNotFoundException {
        Class<? extends Command> type = Engines.load(className).asSubclass(Command.class);
        if (oldName && TOLD.add(className)) {
            IJ.log("Decrappify: " + oldNameHint(label(new CommandInfo(type))));
        }
        runCommand(type, options);
    }

    /** {@code label} is the current name, "Decrappify " + the old one. */
    static String oldNameHint(String label) {
        return "run(\"" + label.substring(label.indexOf(' ') + 1) + "\") is the old name of run(\"" + label
                + "\"); it still works for now: write the new name in your macro (the options stay the same)";
    }

    static void runCommand(Class<? extends Command> type, String options) {
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
            values = ParameterDialog.ask(dialog(info, items, remembered(type, items, defaults)));
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

    /** The engine class that lists the installed models (by name: this package refers to no other Decrappify class). */
    static final String INSTALLED_MODELS = "io.github.decrappify.fiji.InstalledModels";

    /** The dialog of command {@code info} showing {@code initial}: what {@link ParameterDialog} puts on screen. */
    static DialogModel dialog(CommandInfo info, List<ModuleItem<?>> items, Map<String, Object> initial) {
        String[] titles = WindowManager.getImageTitles();
        return DialogModel.of(label(info), info.getDescription(), info.get("help"), items, initial,
                List.of(titles == null ? new String[0] : titles), installedModels());
    }

    /** The installed models' names (user store and bundled), or none when they cannot be listed. */
    @SuppressWarnings("unchecked")
    static List<String> installedModels() {
        try {
            Object names = Engines.load(INSTALLED_MODELS).getMethod("names").invoke(null);
            return names instanceof List<?> list ? (List<String>) list : List.of();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return List.of(); // the dialog still offers Browse... and the typed value
        }
    }

    /** The menu label: the last element of the command's menu path ("Decrappify Restore..."). */
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
}
