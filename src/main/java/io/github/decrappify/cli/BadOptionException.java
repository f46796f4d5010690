package io.github.decrappify.cli;

import io.github.decrappify.runtime.Device;

/**
 * An option value the command cannot use ({@code --tile -64}, {@code --device tpu}): {@link Main#execute}
 * reports it like a parse error, exit code 2, because the command line is wrong, not the job. Thrown by
 * commands before any work starts.
 */
public final class BadOptionException extends IllegalArgumentException {

    public BadOptionException(String message) {
        super(message);
    }

    /** {@link Device#parse}, with a bad name as a bad option. */
    public static Device device(String name) {
        try {
            return Device.parse(name);
        } catch (IllegalArgumentException e) {
            throw new BadOptionException("--device: " + e.getMessage());
        }
    }

    /** {@code value} within {@code [min, max]}, or a bad option naming {@code option}. */
    public static int require(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new BadOptionException(option + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }
}
