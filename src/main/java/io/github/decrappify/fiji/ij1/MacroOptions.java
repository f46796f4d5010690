package io.github.decrappify.fiji.ij1;

import ij.ImagePlus;
import ij.WindowManager;
import java.io.File;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scijava.module.ModuleItem;

/**
 * The macro side of a command's parameters: an ImageJ 1 option string such as
 * {@code "input=/data/lr output=[/data/x 4] model=em-x4-unet-s tile=0 skip"} read into typed values,
 * and typed values written back as such a string (what the Recorder records).
 *
 * <p>Keys are the SciJava parameter names, matched regardless of case (ImageJ's Recorder writes keys in
 * lower case). Values with spaces go in brackets; a boolean is {@code true} when its key stands alone (or
 * says {@code =true}) and {@code false} when it is absent, as for ImageJ's own dialogs; an image parameter
 * takes a window title and defaults to the active image; other parameters left out keep their defaults;
 * a key the command does not have is an error, not silently ignored.
 */
final class MacroOptions {

    /**
     * {@code key=[value]}, {@code key=value} or a bare {@code key}. As in ImageJ, a bracketed value ends at
     * the first ']' followed by a space or the end, so {@code input=[/data/scan [2]/lr]} is one path.
     */
    private static final Pattern TOKEN = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:=(\\[.*?\\](?=\\s|$)|\\S*))?");

    private MacroOptions() {
    }

    /** The parameters the user sets: inputs that are not services, the context or messages. */
    static List<ModuleItem<?>> userInputs(Iterable<ModuleItem<?>> inputs) {
        List<ModuleItem<?>> items = new ArrayList<>();
        for (ModuleItem<?> item : inputs) {
            Class<?> type = item.getType();
            if (org.scijava.service.Service.class.isAssignableFrom(type) || org.scijava.Context.class.isAssignableFrom(type)
                    || item.getVisibility() == org.scijava.ItemVisibility.MESSAGE) {
                continue;
            }
            items.add(item);
        }
        return items;
    }

    /**
     * Reads {@code options} into values for {@code items}: keys not given keep {@code defaults}' values,
     * except booleans (unchecked) and images (the active image). Without options ({@code null}: a
     * headless run with no macro) every value is its default.
     *
     * @throws IllegalArgumentException with a one-line message naming the key and what it accepts
     */
    static Map<String, Object> parse(String options, List<ModuleItem<?>> items, Map<String, Object> defaults) {
        Map<String, String> given = new LinkedHashMap<>();
        tokens(options).forEach((k, v) -> given.put(k.toLowerCase(Locale.ROOT), v));
        Map<String, ModuleItem<?>> byName = new LinkedHashMap<>();
        for (ModuleItem<?> item : items) {
            if (byName.put(item.getName().toLowerCase(Locale.ROOT), item) != null) {
                throw new IllegalArgumentException("two parameters named '" + item.getName()
                        + "' (ignoring case): macros could not tell them apart");
            }
        }
        for (String key : given.keySet()) {
            if (!byName.containsKey(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; this command takes: "
                        + String.join(", ", items.stream().map(ModuleItem::getName).toList()));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ModuleItem<?> item : items) {
            String name = item.getName();
            String key = name.toLowerCase(Locale.ROOT);
            if (given.containsKey(key)) {
                values.put(name, convert(item, given.get(key)));
            } else if (ImagePlus.class.equals(item.getType())) {
                values.put(name, WindowManager.getCurrentImage());
            } else if (options != null && isBoolean(item)) {
                values.put(name, false); // what the Recorder leaves out of an unchecked box
            } else {
                values.put(name, defaults.get(name));
            }
        }
        return values;
    }

    static boolean isBoolean(ModuleItem<?> item) {
        return item.getType() == boolean.class || item.getType() == Boolean.class;
    }

    /** Key → raw value ({@code null} for a bare key), brackets removed. */
    static Map<String, String> tokens(String options) {
        Map<String, String> out = new LinkedHashMap<>();
        if (options == null) {
            return out;
        }
        Matcher m = TOKEN.matcher(options);
        int at = 0;
        while (at < options.length()) {
            if (Character.isWhitespace(options.charAt(at))) {
                at++;
                continue;
            }
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("cannot read the options at '" + options.substring(at).strip()
                        + "'; write key=value, key=[value with spaces] or a bare key for a checked box");
            }
            String value = m.group(2);
            if (value != null && value.startsWith("[")) {
                if (value.length() < 2 || !value.endsWith("]")) {
                    throw new IllegalArgumentException("cannot read the options at '" + options.substring(m.start(2)).strip()
                            + "': a '[' without its ']'");
                }
                value = value.substring(1, value.length() - 1);
            }
            out.put(m.group(1), value);
            at = m.end();
        }
        return out;
    }

    /** One value from its text. */
    static Object convert(ModuleItem<?> item, String text) {
        String name = item.getName();
        Class<?> type = item.getType();
        if (isBoolean(item)) {
            if (text == null || text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException(name + " is a checkbox: give '" + name + "' alone (or " + name
                    + "=true/false), not " + name + "=" + text);
        }
        if (text == null) {
            throw new IllegalArgumentException(name + " needs a value: " + name + "=...");
        }
        if (type == String.class) {
            List<?> choices = item.getChoices();
            if (choices != null && !choices.isEmpty() && !choices.contains(text)) {
                throw new IllegalArgumentException(name + " must be one of " + choices + ", not '" + text + "'");
            }
            return text;
        }
        if (type == File.class) {
            return text.isBlank() ? null : new File(text); // an optional folder left empty
        }
        if (type == ImagePlus.class) {
            ImagePlus imp = WindowManager.getImage(text);
            if (imp == null) {
                throw new IllegalArgumentException("no open image titled '" + text + "' for " + name);
            }
            return imp;
        }
        if (DialogModel.isAuto(item) && DialogModel.meansAuto(text)) {
            text = text(item.getMinimumValue()); // tile=auto: the model's default, as the dialog shows it
        }
        Number number = number(item, text);
        checkRange(item, number);
        return number;
    }

    private static Number number(ModuleItem<?> item, String text) {
        Class<?> type = item.getType();
        double d;
        try {
            d = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(item.getName() + " must be a number, not '" + text + "'");
        }
        if (type == double.class || type == Double.class) {
            return d;
        }
        if (type == float.class || type == Float.class) {
            return (float) d;
        }
        if (type != int.class && type != Integer.class && type != long.class && type != Long.class) {
            throw new IllegalArgumentException(item.getName() + " has a type (" + type.getSimpleName()
                    + ") that macros cannot set");
        }
        if (d != Math.rint(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(item.getName() + " must be a whole number, not '" + text + "'");
        }
        long whole;
        try {
            // Exactly, not through the double: seeds above 2^53 must come back as recorded.
            whole = new BigDecimal(text.strip()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(item.getName() + " is out of range: " + text);
        }
        if (type == long.class || type == Long.class) {
            return whole;
        }
        if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(item.getName() + " is out of range: " + text);
        }
        return (int) whole;
    }

    private static void checkRange(ModuleItem<?> item, Number value) {
        if (item.getMinimumValue() instanceof Number min && value.doubleValue() < min.doubleValue()) {
            throw new IllegalArgumentException(item.getName() + " must be at least " + plain(min) + ", not " + plain(value));
        }
        if (item.getMaximumValue() instanceof Number max && value.doubleValue() > max.doubleValue()) {
            throw new IllegalArgumentException(item.getName() + " must be at most " + plain(max) + ", not " + plain(value));
        }
    }

    /**
     * What a macro needs to replay these values, in parameter order: key → text, or {@code null} for a
     * checked box. Left out, because {@link #parse} restores them: unchecked boxes, the active image
     * (ImageJ commands work on the active image; another one is named by its title) and {@code null}s
     * whose default is {@code null} (a {@code null} with another default is given as empty).
     */
    static Map<String, String> recorded(List<ModuleItem<?>> items, Map<String, Object> values,
            Map<String, Object> defaults, ImagePlus active) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ModuleItem<?> item : items) {
            String name = item.getName();
            Object v = values.get(name);
            if (Boolean.FALSE.equals(v) || (v == null && defaults.get(name) == null) || (v != null && v == active)) {
                continue;
            }
            out.put(name, Boolean.TRUE.equals(v) ? null : v == null ? "" : v instanceof ImagePlus imp ? imp.getTitle() : text(v));
        }
        return out;
    }

    /** {@link #recorded} as one option string, as the Recorder writes it (values with spaces in brackets). */
    static String format(List<ModuleItem<?>> items, Map<String, Object> values, Map<String, Object> defaults,
            ImagePlus active) {
        StringBuilder sb = new StringBuilder();
        recorded(items, values, defaults, active).forEach((key, text) -> {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(key);
            if (text != null) {
                sb.append('=').append(text.contains(" ") ? "[" + text + "]" : text);
            }
        });
        return sb.toString();
    }

    static String text(Object value) {
        if (value instanceof File f) {
            return f.getPath();
        }
        if (value instanceof Number n) {
            return plain(n);
        }
        return String.valueOf(value);
    }

    private static String plain(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.valueOf((long) d);
            }
            return n instanceof Float f ? String.valueOf(f) : String.valueOf(d); // shortest text of the value
        }
        return String.valueOf(n);
    }
}
