package io.github.decrappify.fiji.ij1;

import ij.ImagePlus;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.scijava.module.ModuleItem;

/**
 * What a command's dialog shows, field by field, and how the answers become parameter values: the part
 * of {@link ParameterDialog} that needs no screen, so tests read it headless.
 *
 * <ul>
 * <li>A parameter with style {@value #MODEL_STYLE} is a choice of the installed models (bundled and the
 *     user store), the current value if it is a path, and {@value #BROWSE} (a file chooser for a bundle
 *     folder or {@code .zip}).</li>
 * <li>A whole-number parameter with style {@value #AUTO_STYLE} shows its minimum as {@value #AUTO}
 *     ({@code tile} 0 and {@code overlap} -1 mean "the model's own"); {@value #AUTO} or an empty field
 *     give the minimum back.</li>
 * <li>The Help button opens the command's page of the user guide ({@code help} attribute of its
 *     {@code @Plugin}, relative to {@value #DOCS}).</li>
 * </ul>
 */
final class DialogModel {

    static final String MODEL_STYLE = "decrappify-model";
    static final String AUTO_STYLE = "auto";
    static final String AUTO = "auto";
    static final String BROWSE = "Browse...";
    /** The user guide, where each command's {@code help} page lives. */
    static final String DOCS = "https://github.com/decrappify/decrappify/blob/main/docs/";
    static final String DEFAULT_HELP = "restore-in-fiji.md#the-commands";

    enum Kind { IMAGE, CHECKBOX, FOLDER, FILE, CHOICE, MODEL, AUTO_NUMBER, NUMBER, TEXT }

    /** One field: its parameter, how it is shown, its initial text and (for choices) what it offers. */
    record Field(ModuleItem<?> item, Kind kind, String label, String text, List<String> choices) {
        String name() {
            return item.getName();
        }
    }

    private final String title;
    private final String description;
    private final String helpUrl;
    private final List<Field> fields;

    private DialogModel(String title, String description, String helpUrl, List<Field> fields) {
        this.title = title;
        this.description = description;
        this.helpUrl = helpUrl;
        this.fields = List.copyOf(fields);
    }

    /**
     * @param help        the command's help page relative to {@link #DOCS} ({@code null}: {@link #DEFAULT_HELP})
     * @param initial     the values to show (defaults or remembered)
     * @param imageTitles the open images' titles
     * @param models      the installed model names, in the order to offer them
     */
    static DialogModel of(String title, String description, String help, List<ModuleItem<?>> items,
            Map<String, Object> initial, List<String> imageTitles, List<String> models) {
        List<Field> fields = new ArrayList<>();
        for (ModuleItem<?> item : items) {
            String label = item.getLabel() != null ? item.getLabel() : item.getName();
            Object v = initial.get(item.getName());
            Class<?> type = item.getType();
            if (type == ImagePlus.class) {
                List<String> titles = imageTitles.isEmpty() ? List.of("") : imageTitles;
                String current = v instanceof ImagePlus imp ? imp.getTitle() : titles.get(0);
                fields.add(new Field(item, Kind.IMAGE, label, current, titles));
            } else if (MacroOptions.isBoolean(item)) {
                fields.add(new Field(item, Kind.CHECKBOX, label, String.valueOf(Boolean.TRUE.equals(v)), List.of()));
            } else if (type == File.class) {
                fields.add(new Field(item, "directory".equals(item.getWidgetStyle()) ? Kind.FOLDER : Kind.FILE, label,
                        v == null ? "" : ((File) v).getPath(), List.of()));
            } else if (type == String.class && isModel(item)) {
                fields.add(modelField(item, label, v == null ? "" : v.toString(), models));
            } else if (type == String.class && item.getChoices() != null && !item.getChoices().isEmpty()) {
                List<String> choices = item.getChoices().stream().map(String::valueOf).toList();
                fields.add(new Field(item, Kind.CHOICE, label, v == null ? choices.get(0) : v.toString(), choices));
            } else if (type == String.class) {
                fields.add(new Field(item, Kind.TEXT, label, v == null ? "" : v.toString(), List.of()));
            } else if (isAuto(item)) {
                boolean auto = v == null || Objects.equals(((Number) v).longValue(), ((Number) item.getMinimumValue()).longValue());
                fields.add(new Field(item, Kind.AUTO_NUMBER, label, auto ? AUTO : MacroOptions.text(v), List.of()));
            } else {
                fields.add(new Field(item, Kind.NUMBER, label, v == null ? "0" : MacroOptions.text(v), List.of()));
            }
        }
        return new DialogModel(title, description, DOCS + (help == null || help.isBlank() ? DEFAULT_HELP : help), fields);
    }

    private static Field modelField(ModuleItem<?> item, String label, String current, List<String> models) {
        Set<String> choices = new LinkedHashSet<>();
        if (!current.isBlank() && !models.contains(current)) {
            choices.add(current); // a bundle path chosen before
        }
        choices.addAll(models);
        choices.add(BROWSE);
        String shown = !current.isBlank() ? current : models.isEmpty() ? BROWSE : models.get(0);
        return new Field(item, Kind.MODEL, label, shown, List.copyOf(choices));
    }

    static boolean isModel(ModuleItem<?> item) {
        return MODEL_STYLE.equals(item.getWidgetStyle());
    }

    /** A whole number whose minimum means "the model's default". */
    static boolean isAuto(ModuleItem<?> item) {
        return AUTO_STYLE.equals(item.getWidgetStyle()) && item.getMinimumValue() instanceof Number;
    }

    String title() {
        return title;
    }

    String description() {
        return description;
    }

    String helpUrl() {
        return helpUrl;
    }

    List<Field> fields() {
        return fields;
    }

    /** The field of parameter {@code name}. */
    Field field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no field " + name));
    }

    /**
     * The parameter values from the dialog's answers, one per field in order (the chosen or typed text,
     * {@code "true"}/{@code "false"} for a checkbox).
     *
     * @param browse asks for a bundle folder or zip when {@value #BROWSE} was chosen; {@code null} = canceled
     * @return the values, or {@code null} when the file chooser was canceled
     * @throws IllegalArgumentException with a one-line message for a value the parameter does not take
     */
    Map<String, Object> values(List<String> answers, Supplier<String> browse) {
        if (answers.size() != fields.size()) {
            throw new IllegalArgumentException(fields.size() + " answers expected, not " + answers.size());
        }
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            String text = answers.get(i) == null ? "" : answers.get(i);
            Object value = switch (f.kind()) {
                case CHECKBOX -> Boolean.parseBoolean(text);
                case FOLDER, FILE -> text.isBlank() ? null : new File(text.strip());
                case CHOICE, TEXT -> text;
                case IMAGE -> MacroOptions.convert(f.item(), text);
                case MODEL -> BROWSE.equals(text) ? browse.get() : text.strip();
                case AUTO_NUMBER, NUMBER -> MacroOptions.convert(f.item(), text.strip());
            };
            if (f.kind() == Kind.MODEL && value == null) {
                return null;
            }
            values.put(f.name(), value);
        }
        return values;
    }

    /** {@code auto} (any case) or an empty field for an {@link #isAuto} parameter. */
    static boolean meansAuto(String text) {
        return text == null || text.isBlank() || text.strip().toLowerCase(Locale.ROOT).equals(AUTO);
    }
}
