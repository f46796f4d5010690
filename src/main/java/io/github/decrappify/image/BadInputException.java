package io.github.decrappify.image;

/**
 * The user's input cannot be processed as given: a missing, empty, corrupt or unsupported file, pixel
 * values that are not finite, an image too small for the model, or an output that cannot be written.
 *
 * <p>The message is a single line that says what is wrong and what to do about it; front ends show it
 * as is (the CLI prints it on stderr and exits non-zero).
 */
public class BadInputException extends Exception {

    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
