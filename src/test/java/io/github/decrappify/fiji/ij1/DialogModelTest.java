package io.github.decrappify.fiji.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.fiji.RestoreCommand;
import io.github.decrappify.fiji.RestoreFolderCommand;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;

/** The dialogs' contents and answers, through their model objects (no screen). */
class DialogModelTest {

    static final List<String> MODELS = List.of("my-model", "em-x4-unet-s", "fluo-x4-unet-s");

    static DialogModel dialog(Class<? extends Command> command, Map<String, Object> changes, List<String> models)
            throws Exception {
        CommandInfo info = new CommandInfo(command);
        List<ModuleItem<?>> items = MacroOptions.userInputs(info.inputs());
        Module module = info.createModule();
        Map<String, Object> initial = new LinkedHashMap<>();
        for (ModuleItem<?> item : items) {
            initial.put(item.getName(), module.getInput(item.getName()));
        }
        initial.putAll(changes);
        return DialogModel.of(CommandRunner.label(info), info.getDescription(), info.get("help"), items, initial,
                List.of("cells.tif"), models);
    }

    @Test
    void restoreOffersTheInstalledModelsAndBrowseAndShowsAutoForTheModelsTiling() throws Exception {
        DialogModel d = dialog(RestoreCommand.class, Map.of(), MODELS);
        assertEquals(List.of("IMAGE image", "MODEL model", "AUTO_NUMBER tile", "AUTO_NUMBER overlap", "CHOICE device",
                "CHOICE precision", "CHOICE pixels", "CHECKBOX tta", "CHECKBOX qc"),
                d.fields().stream().map(f -> f.kind() + " " + f.name()).toList());
        DialogModel.Field model = d.field("model");
        assertEquals(List.of("my-model", "em-x4-unet-s", "fluo-x4-unet-s", "Browse..."), model.choices());
        assertEquals("em-x4-unet-s", model.text(), "the command's default is preselected");
        assertEquals("auto", d.field("tile").text());
        assertEquals("auto", d.field("overlap").text());
        assertEquals(List.of("auto", "fp32", "bf16"), d.field("precision").choices());
        assertEquals("auto", d.field("precision").text(), "auto, as restore --precision");
        assertEquals("https://github.com/decrappify/decrappify/blob/main/docs/restore-in-fiji.md#the-commands", d.helpUrl());
    }

    @Test
    void aBundlePathChosenBeforeIsOfferedFirstAndNumbersOtherThanAutoShowAsNumbers() throws Exception {
        DialogModel d = dialog(RestoreCommand.class, Map.of("model", "/data/mine.zip", "tile", 128, "overlap", 0), MODELS);
        assertEquals(List.of("/data/mine.zip", "my-model", "em-x4-unet-s", "fluo-x4-unet-s", "Browse..."),
                d.field("model").choices());
        assertEquals("/data/mine.zip", d.field("model").text());
        assertEquals("128", d.field("tile").text());
        assertEquals("0", d.field("overlap").text(), "0 is a real overlap, only -1 is auto");
        DialogModel none = dialog(RestoreCommand.class, Map.of("model", ""), List.of());
        assertEquals(List.of("Browse..."), none.field("model").choices());
        assertEquals("Browse...", none.field("model").text(), "nothing installed: the choice is to browse");
    }

    /** Answers for RestoreFolderCommand: input, output, model, tile, overlap, device, precision, pixels, skip, overwrite, tta, qc, qcfolder. */
    static List<String> folderAnswers(String model, String tile, String overlap) {
        return new ArrayList<>(List.of("/data/lr", "/data/x4", model, tile, overlap, "cpu", "bf16", "32-bit float", "true", "false",
                "false", "false", ""));
    }

    @Test
    void answersBecomeTheCommandsValues() throws Exception {
        DialogModel d = dialog(RestoreFolderCommand.class, Map.of(), MODELS);
        Map<String, Object> v = d.values(folderAnswers("fluo-x4-unet-s", "auto", "AUTO"), () -> {
            throw new AssertionError("no browsing without Browse...");
        });
        assertEquals(new File("/data/lr"), v.get("input"));
        assertEquals("fluo-x4-unet-s", v.get("model"));
        assertEquals(0, v.get("tile"));
        assertEquals(-1, v.get("overlap"));
        assertEquals("bf16", v.get("precision"));
        assertEquals(true, v.get("skip"));
        assertNull(v.get("qcfolder"));
        v = d.values(folderAnswers("Browse...", "256", ""), () -> "/data/bundles/mine");
        assertEquals("/data/bundles/mine", v.get("model"), "Browse... takes the chosen folder or zip");
        assertEquals(256, v.get("tile"));
        assertEquals(-1, v.get("overlap"), "an emptied field is auto again");
        assertNull(d.values(folderAnswers("Browse...", "auto", "auto"), () -> null), "file chooser canceled");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.values(folderAnswers("em-x4-unet-s", "-3", "auto"), () -> null));
        assertEquals("tile must be at least 0, not -3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.values(folderAnswers("em-x4-unet-s", "big", "auto"), () -> null));
        assertEquals("tile must be a number, not 'big'", e.getMessage());
    }

    @Test
    void macrosMayWriteAutoToo() throws Exception {
        CommandInfo info = new CommandInfo(RestoreFolderCommand.class);
        List<ModuleItem<?>> items = MacroOptions.userInputs(info.inputs());
        Map<String, Object> v = MacroOptions.parse("input=/a output=/b model=em-x4-unet-s tile=auto overlap=auto", items,
                Map.of("tile", 64, "overlap", 8));
        assertEquals(0, v.get("tile"));
        assertEquals(-1, v.get("overlap"));
    }

    @Test
    void theDialogListsTheBundledModelsThroughTheEngine() {
        String before = System.getProperty("decrappify.home");
        System.setProperty("decrappify.home", new File("").getAbsolutePath()); // <project>/models
        try {
            List<String> names = CommandRunner.installedModels();
            assertTrue(names.containsAll(List.of("em-x4-unet-s", "fluo-x4-unet-s")), names.toString());
        } finally {
            if (before == null) {
                System.clearProperty("decrappify.home");
            } else {
                System.setProperty("decrappify.home", before);
            }
        }
    }
}
