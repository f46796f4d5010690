package io.github.decrappify.cli;

/**
 * Makes text from untrusted sources (a bundle's metadata, file names) safe to print on a terminal:
 * control characters — ANSI/OSC escapes, carriage returns, bells, C1 controls — become visible
 * {@code \\uXXXX} escapes, so a bundle cannot recolour, retitle or rewrite the user's terminal.
 * Printable text, including non-ASCII letters, is kept as it is.
 */
final class TerminalText {

    private TerminalText() {}

    /** {@code text} with every control character (tabs included; one line stays one line) escaped. */
    static String safe(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u202e';
            if (control && b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? text : b.toString();
    }
}
