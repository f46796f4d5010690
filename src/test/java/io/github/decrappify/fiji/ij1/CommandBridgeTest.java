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

    /** The 0.1 names, kept for old macros in a submenu. */
    static final Pattern OLD_LINE = Pattern.compile("Plugins>Decrappify>Old macro names, \"([^\"]+)\", "
            + "io\\.github\\.decrappify\\.fiji\\.ij1\\.CommandPlugIn\\(\"old:([\\w.]+)\"\\)");

    static Map<String, String> pluginsConfig() throws IOException {
        return pluginsConfig(false);
    }

    static Map<String, String> pluginsConfig(boolean oldNames) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (InputStream in = CommandBridgeTest.class.getResourceAsStream("/plugins.config")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher old = OLD_LINE.matcher(line.strip());
                if (old.matches()) {
                    if (oldNames) {
                        entries.put(old.group(1), old.group(2));
                    }
                    continue;
                }
                if (oldNames) {
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
     * Fiji discovers the bridge's SciJava plugins (EngineCommands) through the plugin jar's own index,
     * which is kept by hand in src/main/fiji-plugin: it must equal what the annotation processor wrote for
     * the bridge package, and list no engine class (those are not on Fiji's class path).
     */
    @Test
    void thePluginJarsSciJavaIndexIsTheBridgePackagesOwn() throws Exception {
        java.nio.file.Path classes = java.nio.file.Path.of(CommandPlugIn.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        String all = java.nio.file.Files.readString(classes.resolve("META-INF/json/org.scijava.plugin.Plugin"));
        Matcher m = Pattern.compile("\\{\"class\":\"io\\.github\\.decrappify\\.fiji\\.ij1\\.[^\"]+\",\"values\":\\{[^{}]*\\}\\}")
                .matcher(all);
        StringBuilder bridge = new StringBuilder();
        while (m.find()) {
            bridge.append(m.group());
        }
        assertTrue(bridge.toString().contains("EngineCommands"), all);
        assertEquals(bridge.toString(), java.nio.file.Files.readString(
                java.nio.file.Path.of("src/main/fiji-plugin/META-INF/json/org.scijava.plugin.Plugin")));
        assertEquals(List.of("io.github.decrappify.fiji.RestoreCommand", "io.github.decrappify.fiji.RestoreFolderCommand",
                "io.github.decrappify.fiji.CrappifyCommand", "io.github.decrappify.fiji.TrainCommand",
                "io.github.decrappify.fiji.ModelsCommand", "io.github.decrappify.fiji.EvaluateCommand",
                "io.github.decrappify.fiji.FineTuneCommand"), EngineCommands.commandClasses());
    }

    /** The bridge finds a platform's natives in the folder the engine's NativePlatform names for it. */
    @Test
    void theBridgeLooksForEachPlatformsNativesWhereTheEngineSaysTheyAre() throws Exception {
        String[][] jvms = {{"Linux", "amd64"}, {"Windows 10", "amd64"}, {"Mac OS X", "aarch64"}, {"Mac OS X", "x86_64"}};
        for (String[] jvm : jvms) {
            assertEquals(io.github.decrappify.runtime.NativePlatform.of(jvm[0], jvm[1]).fiji(), Engines.fijiPlatform(jvm[0], jvm[1]),
                    String.join("/", jvm));
        }
        assertEquals("linux-arm64", Engines.fijiPlatform("Linux", "aarch64"), "the Updater's name, though nothing ships there");
    }

    /** Labels that cannot collide with other plugins', and each 0.1 name still reaching its command. */
    @Test
    void labelsAreUniqueAndTheOldNamesStillLeadToTheirCommands() throws Exception {
        Map<String, String> current = pluginsConfig();
        Map<String, String> old = pluginsConfig(true);
        assertEquals(current.size(), old.size(), old.toString());
        current.forEach((label, className) -> {
            assertTrue(label.startsWith("Decrappify "), label);
            assertEquals(className, old.get(label.substring("Decrappify ".length())), label);
        });
        assertEquals("run(\"Restore...\") is the old name of run(\"Decrappify Restore...\"); it still works for now:"
                + " write the new name in your macro (the options stay the same)", CommandRunner.oldNameHint("Decrappify Restore..."));
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
        assertEquals(List.of("input", "output", "model", "tile", "overlap", "device", "precision", "pixels", "skip", "overwrite", "tta",
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
        assertEquals(false, v.get("overwrite"), "an absent checkbox is unchecked");
        assertNull(v.get("qcfolder"), "not given, no default: left to the command");
        v = MacroOptions.parse("input=/a output=/b", items, defaults);
        assertEquals(0, v.get("tile"), "defaults are kept");
        assertEquals(false, v.get("skip"));
    }

    @Test
    void keysIgnoreCaseAndWholeNumbersAreExact() throws Exception {
        List<ModuleItem<?>> items = items("io.github.decrappify.fiji.TrainCommand");
        Map<String, Object> v = MacroOptions.parse("HR=/a Seed=1234567890123456789 Resume steps=1e3", items, Map.of());
        assertEquals(new File("/a"), v.get("hr"));
        assertEquals(1234567890123456789L, v.get("seed"), "not rounded through a double");
        assertEquals(true, v.get("resume"));
        assertEquals(1000, v.get("steps"));
        assertMessage("seed=99999999999999999999", items, "seed is out of range: 99999999999999999999");
        assertMessage("steps=3000000000", items, "steps is out of range: 3000000000");
    }

    /** A checkbox that is on by default: the Recorder leaves an unchecked box out, so absent must mean unchecked. */
    public static final class CheckedByDefault implements Command {
        @org.scijava.plugin.Parameter
        private boolean normalise = true;

        @org.scijava.plugin.Parameter
        private int size = 3;

        @Override
        public void run() {
        }
    }

    @Test
    void absentCheckboxesAreUncheckedButHeadlessRunsWithoutOptionsKeepDefaults() throws Exception {
        List<ModuleItem<?>> items = items(CheckedByDefault.class.getName());
        Map<String, Object> defaults = Map.of("normalise", true, "size", 3);
        Map<String, Object> unchecked = Map.of("normalise", false, "size", 3);
        Recorder.resetCommandOptions();
        CommandRunner.record(items, unchecked, defaults);
        assertEquals("size=3", Recorder.getCommandOptions());
        assertEquals(unchecked, MacroOptions.parse(Recorder.getCommandOptions(), items, defaults));
        assertEquals(defaults, MacroOptions.parse(null, items, defaults));
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

    /** Every run("...", "...") example in the README, docs/ and the commands' javadoc reads with today's parameters. */
    @Test
    void documentedMacroLinesReadWithTheCommandsParameters() throws Exception {
        Map<String, String> config = pluginsConfig();
        Pattern run = Pattern.compile("run\\(\"([^\"<]+)\", \"([^\"]*)\"\\)"); // not run("<label>", ...)
        List<java.nio.file.Path> docs = new java.util.ArrayList<>(List.of(java.nio.file.Path.of("README.md")));
        try (var pages = java.nio.file.Files.walk(java.nio.file.Path.of("docs"))) {
            pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        try (var sources = java.nio.file.Files.list(java.nio.file.Path.of("src/main/java/io/github/decrappify/fiji"))) {
            sources.filter(p -> p.toString().endsWith(".java")).sorted().forEach(docs::add);
        }
        int checked = 0;
        for (java.nio.file.Path doc : docs) {
            Matcher m = run.matcher(java.nio.file.Files.readString(doc));
            while (m.find()) {
                String className = config.get(m.group(1));
                assertTrue(className != null, doc + ": no menu command " + m.group(1));
                // Images are open windows, which a test without a display does not have.
                String options = m.group(2).replaceAll("(^| )image=\\S+", "");
                try {
                    MacroOptions.parse(options, items(className), Map.of());
                } catch (IllegalArgumentException e) {
                    throw new AssertionError(doc + ": " + m.group() + ": " + e.getMessage(), e);
                }
                checked++;
            }
        }
        assertTrue(checked >= 12, "found the examples: " + checked);
    }

    /** The line a Restore folder... dialog records, checks included, and what it reads back to. */
    @Test
    void restoreFolderWithChecksRecordsItsOptionsAsWritten() throws Exception {
        List<ModuleItem<?>> items = items("io.github.decrappify.fiji.RestoreFolderCommand");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("input", new File("/data/scan [2]/lr"));
        values.put("output", new File("/data/x4"));
        values.put("model", "em-x4-unet-s");
        values.put("tile", 0);
        values.put("overlap", -1);
        values.put("device", "auto");
        values.put("precision", "auto");
        values.put("pixels", "32-bit float");
        values.put("skip", true);
        values.put("overwrite", false);
        values.put("tta", true);
        values.put("qc", true);
        values.put("qcfolder", new File("/data/x4 qc"));
        Recorder.resetCommandOptions();
        CommandRunner.record(items, values, Map.of());
        assertEquals("input=[/data/scan [2]/lr] output=/data/x4 model=em-x4-unet-s tile=0 overlap=-1 device=auto"
                + " precision=auto pixels=[32-bit float] skip tta qc qcfolder=[/data/x4 qc]", Recorder.getCommandOptions());
        assertEquals(values, MacroOptions.parse(Recorder.getCommandOptions(), items, Map.of()));
    }

    /**
     * For every command in plugins.config, what the Recorder writes for a dialog's values reads back to
     * those values: awkward ones (paths and text with spaces, the last choice, numbers away from their
     * defaults, checked boxes, long seeds) and plain ones (unchecked boxes, empty optional fields).
     */
    @Test
    void everyCommandsRecordedOptionsReplayToTheSameValues() throws Exception {
        ij.ImagePlus active = new ij.ImagePlus("active image", new ij.process.ByteProcessor(8, 8));
        ij.WindowManager.setTempCurrentImage(active);
        try {
            Map<String, String> config = pluginsConfig();
            assertEquals(List.of("Decrappify Crappify...", "Decrappify Evaluate...", "Decrappify Fine-tune (NoGAN)...",
                    "Decrappify Models...", "Decrappify Restore folder...", "Decrappify Restore...", "Decrappify Train..."),
                    List.copyOf(config.keySet()));
            for (String className : config.values()) {
                Class<? extends Command> type = Class.forName(className).asSubclass(Command.class);
                CommandInfo info = new CommandInfo(type);
                List<ModuleItem<?>> items = MacroOptions.userInputs(info.inputs());
                org.scijava.module.Module module = info.createModule();
                Map<String, Object> defaults = new LinkedHashMap<>();
                for (ModuleItem<?> item : items) {
                    defaults.put(item.getName(), module.getInput(item.getName()));
                }
                for (boolean awkward : new boolean[] {true, false}) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (ModuleItem<?> item : items) {
                        values.put(item.getName(), dialogValue(item, defaults.get(item.getName()), awkward, active));
                    }
                    String what = type.getSimpleName() + (awkward ? " (awkward values)" : " (plain values)");
                    Recorder.resetCommandOptions();
                    CommandRunner.record(items, values, defaults);
                    String recorded = Recorder.getCommandOptions();
                    assertEquals(MacroOptions.format(items, values, defaults, active), recorded, what);
                    Map<String, Object> back = MacroOptions.parse(recorded, items, defaults);
                    assertEquals(values, back, what + ": recorded as " + recorded);
                }
            }
        } finally {
            ij.WindowManager.setTempCurrentImage(null);
        }
    }

    /** What a user could leave in the dialog for {@code item}. */
    private static Object dialogValue(ModuleItem<?> item, Object fallback, boolean awkward, ij.ImagePlus active) {
        Class<?> type = item.getType();
        String name = item.getName();
        if (type == ij.ImagePlus.class) {
            return active;
        }
        if (type == boolean.class || type == Boolean.class) {
            return awkward;
        }
        if (type == File.class) {
            return awkward ? new File("/data/" + name + " folder/" + name + " [1].tif") : null;
        }
        if (type == String.class) {
            List<?> choices = item.getChoices();
            if (choices != null && !choices.isEmpty()) {
                return awkward ? choices.get(choices.size() - 1) : choices.get(0);
            }
            return awkward ? "text for " + name : "";
        }
        if (!awkward) {
            return fallback;
        }
        double min = item.getMinimumValue() instanceof Number n ? n.doubleValue() : -5;
        double max = item.getMaximumValue() instanceof Number n ? n.doubleValue() : Double.NaN;
        double pick = Double.isNaN(max) ? min + 7 : max;
        if (type == int.class || type == Integer.class) {
            return (int) pick;
        }
        if (type == long.class || type == Long.class) {
            return Double.isNaN(max) ? 1234567890123456789L : (long) pick;
        }
        if (type == float.class || type == Float.class) {
            return 5e-4f;
        }
        if (type == double.class || type == Double.class) {
            return 0.1;
        }
        throw new AssertionError(name + " has a type macros cannot set: " + type);
    }
}
