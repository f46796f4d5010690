package io.github.decrappify.fiji.ij1;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.plugin.PluginInfo;
import org.scijava.plugin.PluginService;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

/**
 * Makes the Decrappify commands visible to Fiji's SciJava: {@code CommandService}, scripts
 * ({@code #@ CommandService}, {@code ij.command().run(...)}) and PyImageJ. Fiji finds this service through
 * the plugin jar's own SciJava index (it lists this class only); when Fiji's context starts, it loads
 * every command of {@code plugins.config} from the isolated engine class loader and adds it to the
 * plugin service (which hands it to {@code CommandService} and the module service). The commands keep their parameters and their classes' names
 * ({@code io.github.decrappify.fiji.RestoreCommand}), but get no menu path: their menu entries are the
 * {@code plugins.config} ones, which plain ImageJ reads too.
 *
 * <p>Where the commands are not isolated (everything on one class path, as in the tests), SciJava has
 * found them itself and nothing is added.
 */
@Plugin(type = Service.class)
public final class EngineCommands extends AbstractService {

    private static final Pattern COMMAND = Pattern.compile("CommandPlugIn\\(\"([\\w.]+)\"\\)");

    @Parameter
    private PluginService plugins;

    @Parameter
    private LogService log;

    @Override
    public void initialize() {
        if (!Engines.isolated()) {
            return;
        }
        for (String className : commandClasses()) {
            try {
                Class<? extends Command> type = Engines.load(className).asSubclass(Command.class);
                PluginInfo<Command> info = new PluginInfo<>(type, Command.class, type.getAnnotation(Plugin.class));
                info.setMenuPath(null);
                // CommandService takes its commands from the plugin service and registers them as modules.
                plugins.addPlugin(info);
            } catch (ClassNotFoundException | ClassCastException | LinkageError e) {
                log.warn("Decrappify: cannot offer " + className + " to SciJava scripts (" + e + "); the menu entry still works");
            }
        }
    }

    /** The command classes of {@code plugins.config}, in its order (old menu names left out). */
    static List<String> commandClasses() {
        try (InputStream in = EngineCommands.class.getResourceAsStream("/plugins.config")) {
            if (in == null) {
                return List.of();
            }
            List<String> classes = new ArrayList<>();
            Matcher m = COMMAND.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                classes.add(m.group(1));
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
