package io.github.decrappify.fiji.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.plugin.frame.Recorder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.plugin.PluginInfo;
import org.scijava.plugin.PluginService;

/** The bridge's contracts that need no running ImageJ: menu entries, option parsing, recording. */
class CommandBridgeTest {

    static final Pattern LINE = Pattern.compile(
            "Plugins>Decrappify, \"([^\"]+)\", io\\.github\\.decrappify\\.fiji\\.ij1\\.CommandPlugIn\\(\"([\\w.]+)\"\\)");

    static Context context;

    @BeforeAll
    static void start() {
        System.setProperty("java.awt.headless", "true");
        context = new Context(CommandService.class, PluginService.class);
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    static Map<String, String> pluginsConfig() throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (InputStream in = CommandBridgeTest.class.getResourceAsStream("/plugins.config")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = LINE.matcher(line.strip());
                assertTrue(m.matches(), "plugins.config line: " + line);
                entries.put(m.group(1), m.group(2));
            }
        }
        return entries;
    }

    /** Adding a command is one line in plugins.config; this test says which line is missing. */
    @Test
    void everyDecrappifyCommandHasItsMenuLineAndViceVersa() throws Exception {
        Map<String, String> fromCommands = new TreeMap<>();
        for (PluginInfo<Command> info : context.service(PluginService.class).getPluginsOfType(Command.class)) {
            if (info.getClassName().startsWith("io.github.decrappify.") && info.getMenuPath() != null
                    && !info.getMenuPath().isEmpty()) {
                String path = String.join(">", info.getMenuPath().stream().map(m -> m.getName()).toList());
                assertTrue(path.startsWith("Plugins>Decrappify>"), info.getClassName() + ": " + path);
                fromCommands.put(info.getMenuPath().getLeaf().getName(), info.getClassName());
            }
        }
        assertTrue(fromCommands.size() >= 5, fromCommands.toString());
        assertEquals(fromCommands, pluginsConfig(), "plugins.config must list every command with menuPath"
                + " Plugins>Decrappify>... as: Plugins>Decrappify, \"<label>\", io.github.decrappify.fiji.ij1.CommandPlugIn(\"<class>\")");
    }

    /**
     * The bridge is what Fiji loads itself; if it used another Decrappify class, Fiji's class loader would
     * load that one too, outside the engine's isolation.
     */
    @Test
    void bridgeClassesReferNoOtherDecrappifyClass() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(CommandPlugIn.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).resolve("io/github/decrappify/fiji/ij1");
        Pattern other = Pattern.compile("io/github/decrappify/(?!fiji/ij1/)[\\w/$]+");
        int classes = 0;
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String constants = new String(java.nio.file.Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                Matcher m = other.matcher(constants);
                if (m.find()) {
                    throw new AssertionError(f.getFileName() + " refers to " + m.group());
                }
                classes++;
            }
        }
        assertTrue(classes >= 5, "found the bridge classes in " + dir);
    }

    static List<ModuleItem<?>> items(String className) throws Exception {
        CommandInfo info = new CommandInfo(Class.forName(className).asSubclass(Command.class));
        return MacroOptions.userInputs(info.inputs());
    }

    @Test
    void parametersAreTheCommandsOwnNotItsServices() throws Exception {
        List<String> names = items("io.github.decrappify.fiji.RestoreFolderCommand").stream().map(ModuleItem::getName).toList();
        assertEquals(List.of("input", "output", "model", "tile", "overlap", "device", "pixels", "skip", "overwrite", "tta",
                "qc", "qcfolder"), names);
    }

    @Test
    void optionsAreReadWithTypesBracketsAndCheckboxes() throws Exception {
        List<ModuleItem<?>> items = items("io.github.decrappify.fiji.RestoreFolderCommand");
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("tile", 0);
        defaults.put("skip", false);
        Map<String, Object> v = MacroOptions.parse("input=[/data/lr images] output=/data/x4 model=em-x4-unet-s tile=256"
                + " pixels=[same as input] skip", items, defaults);
        assertEquals(new File("/data/lr images"), v.get("input"));
        assertEquals(new File("/data/x4"), v.get("output"));
        assertEquals(256, v.get("tile"));
        assertEquals("same as input", v.get("pixels"));
        assertEquals(true, v.get("skip"));
        assertNull(v.get("overwrite"), "not given, no default: left to the command");
        v = MacroOptions.parse("input=/a output=/b", items, defaults);
        assertEquals(0, v.get("tile"), "defaults are kept");
        assertEquals(false, v.get("skip"));
    }

    @Test
    void badOptionsGiveOneLineNamingTheKey() throws Exception {
        List<ModuleItem<?>> items = items("io.github.decrappify.fiji.RestoreFolderCommand");
        assertMessage("input=/a skp", items, "unknown option 'skp'; this command takes: input, output, model");
        assertMessage("tile=big", items, "tile must be a number, not 'big'");
        assertMessage("tile=2.5", items, "tile must be a whole number, not '2.5'");
        assertMessage("tile=-3", items, "tile must be at least 0, not -3");
        assertMessage("pixels=16-bit", items, "pixels must be one of [32-bit float, same as input], not '16-bit'");
        assertMessage("skip=maybe", items, "skip is a checkbox: give 'skip' alone (or skip=true/false), not skip=maybe");
        assertMessage("model", items, "model needs a value: model=...");
        assertMessage("input=[/a", items, "cannot read the options at '[/a'");
    }

    private static void assertMessage(String options, List<ModuleItem<?>> items, String start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MacroOptions.parse(options, items, Map.of()));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    /** What the Recorder writes for a dialog's values is what the macro parser reads back. */
    @Test
    void recordedOptionsReadBackToTheSameValues() throws Exception {
        List<ModuleItem<?>> items = items("io.github.decrappify.fiji.TrainCommand");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("hr", new File("/data/hr images"));
        values.put("lr", null);
        values.put("validation", new File("/data/val"));
        values.put("scale", 4);
        values.put("preset", "em");
        values.put("steps", 3000);
        values.put("patch", 64);
        values.put("batch", 8);
        values.put("rate", 5e-4f);
        values.put("validate", 500);
        values.put("seed", 42L);
        values.put("device", "auto");
        values.put("bundle", new File("/models/my em"));
        values.put("resume", true);
        String formatted = MacroOptions.format(items, values);
        assertEquals("hr=[/data/hr images] validation=/data/val scale=4 preset=em steps=3000 patch=64 batch=8"
                + " rate=5.0E-4 validate=500 seed=42 device=auto bundle=[/models/my em] resume", formatted);
        Recorder.resetCommandOptions();
        CommandPlugIn.record(items, values);
        assertEquals(formatted, Recorder.getCommandOptions(), "the Recorder records the same string");
        Map<String, Object> back = MacroOptions.parse(formatted, items, Map.of());
        for (String key : values.keySet()) {
            assertEquals(values.get(key), back.get(key), key);
        }
    }
}
