package io.github.decrappify.fiji.ij1;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scijava.module.ModuleItem;

/**
 * The dialog of a command run from the menu: one ImageJ {@link GenericDialog} field per parameter
 * (choices, numbers, checkboxes, folder and file pickers, the open images), in declaration order.
 */
final class ParameterDialog {

    private ParameterDialog() {
    }

    /** The values the user confirmed, or {@code null} if the dialog was canceled. */
    static Map<String, Object> ask(String title, String description, List<ModuleItem<?>> items, Map<String, Object> initial) {
        GenericDialog gd = new GenericDialog("Decrappify: " + title);
        if (description != null && !description.isBlank()) {
            gd.addMessage(description);
        }
        String[] titles = WindowManager.getImageTitles();
        for (ModuleItem<?> item : items) {
            String label = item.getLabel() != null ? item.getLabel() : item.getName();
            Object v = initial.get(item.getName());
            Class<?> type = item.getType();
            if (type == ImagePlus.class) {
                String current = v instanceof ImagePlus imp ? imp.getTitle() : titles.length > 0 ? titles[0] : "";
                gd.addChoice(label, titles.length > 0 ? titles : new String[] {""}, current);
            } else if (type == boolean.class || type == Boolean.class) {
                gd.addCheckbox(label, Boolean.TRUE.equals(v));
            } else if (type == File.class) {
                String path = v == null ? "" : ((File) v).getPath();
                if ("directory".equals(item.getWidgetStyle())) {
                    gd.addDirectoryField(label, path, 30);
                } else {
                    gd.addFileField(label, path, 30);
                }
            } else if (type == String.class && item.getChoices() != null && !item.getChoices().isEmpty()) {
                String[] choices = item.getChoices().stream().map(String::valueOf).toArray(String[]::new);
                gd.addChoice(label, choices, v == null ? choices[0] : v.toString());
            } else if (type == String.class) {
                gd.addStringField(label, v == null ? "" : v.toString(), 30);
            } else {
                boolean whole = type != double.class && type != Double.class && type != float.class && type != Float.class;
                gd.addNumericField(label, v == null ? 0 : ((Number) v).doubleValue(), whole ? 0 : 6, 12, null);
            }
        }
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ModuleItem<?> item : items) {
            Class<?> type = item.getType();
            String name = item.getName();
            if (type == ImagePlus.class) {
                values.put(name, WindowManager.getImage(gd.getNextChoice()));
            } else if (type == boolean.class || type == Boolean.class) {
                values.put(name, gd.getNextBoolean());
            } else if (type == File.class) {
                String path = gd.getNextString().strip();
                values.put(name, path.isEmpty() ? null : new File(path));
            } else if (type == String.class && item.getChoices() != null && !item.getChoices().isEmpty()) {
                values.put(name, gd.getNextChoice());
            } else if (type == String.class) {
                values.put(name, gd.getNextString());
            } else {
                double d = gd.getNextNumber();
                values.put(name, MacroOptions.convert(item, Double.isNaN(d) ? "NaN" : MacroOptions.text(d)));
            }
        }
        return values;
    }
}
