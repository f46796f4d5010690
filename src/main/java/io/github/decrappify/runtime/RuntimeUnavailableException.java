package io.github.decrappify.runtime;

/** The TensorFlow runtime cannot be loaded here; the message names what is missing. */
public class RuntimeUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public RuntimeUnavailableException(String message) {
        super(message);
    }

    public RuntimeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
