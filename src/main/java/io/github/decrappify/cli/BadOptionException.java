package io.github.decrappify.cli;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.TiffStackWriter;
import io.github.decrappify.model.Licenses;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.runtime.Device;
import java.nio.file.Path;
import io.github.decrappify.runtime.Precision;

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

    /** {@link Precision#parse}, with a bad name as a bad option. */
    public static Precision precision(String name) {
        try {
            return Precision.parse(name);
        } catch (IllegalArgumentException e) {
            throw new BadOptionException(e.getMessage());
        }
    }

    /** {@code net} with {@code --residual-highpass sigma}, or a bad option saying which values it takes. */
    public static UNetConfig residualHighpass(UNetConfig net, double sigma) {
        String problem = UNetConfig.residualHighpassProblem(sigma);
        if (problem != null) {
            throw new BadOptionException("--residual-highpass " + problem);
        }
        return net.withResidualHighpass(sigma);
    }

    /** {@link Licenses#requireSpdx}: a licence other tools would reject is a bad option. */
    public static void license(String option, String id) {
        try {
            Licenses.requireSpdx(id);
        } catch (IllegalArgumentException e) {
            throw new BadOptionException(option + ": " + e.getMessage());
        }
    }

    /** {@code value} within {@code [min, max]}, or a bad option naming {@code option}. */
    public static int require(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new BadOptionException(option + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    /** A TIFF output file's name ({@link TiffStackWriter#requireTiffName}) as a bad option. */
    public static void requireTiffName(String option, Path output) {
        try {
            TiffStackWriter.requireTiffName(option, output);
        } catch (BadInputException e) {
            throw new BadOptionException(e.getMessage());
        }
    }

    /** A folder-mode output's name ({@link Restorer#requireFolderName}) as a bad option. */
    public static void requireFolderName(String option, Path output) {
        try {
            Restorer.requireFolderName(option, output);
        } catch (BadInputException e) {
            throw new BadOptionException(e.getMessage());
        }
    }
}
