package io.github.decrappify.model;

/**
 * A model bundle cannot be read, validated, written or found. The message is one line that names the
 * model or file and says what to do, so front ends can print it as it is.
 */
public class BundleException extends Exception {

    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
