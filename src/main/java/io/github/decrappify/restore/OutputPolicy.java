package io.github.decrappify.restore;

import io.github.decrappify.image.BadInputException;
import java.nio.file.Path;

/**
 * What to do with an output that already exists, the same for a TIFF file, a folder batch and an OME-Zarr:
 * nothing is replaced without {@code overwrite}; with {@code skipExisting} a complete output is left alone; an
 * unfinished OME-Zarr of the same restoration is resumed. The writer says what the existing output holds
 * ({@link Existing}); this class decides and words the refusal, so every front end refuses with the same line.
 * Outputs themselves are written atomically by their writers (a TIFF is renamed when complete, an OME-Zarr chunk
 * by chunk), so an existing output is never half written unless it says so ({@link Existing#UNFINISHED}).
 *
 * <pre>{@code
 * OutputPolicy.of(settings).decide(out, Existing.COMPLETE, "") // SKIP with skipExisting, else refused
 * }</pre>
 */
public record OutputPolicy(boolean overwrite, boolean skipExisting) {

    /** The policy {@code settings} ask for. */
    public static OutputPolicy of(RestoreSettings settings) {
        return new OutputPolicy(settings.overwrite(), settings.skipExisting());
    }

    /** What happens to the output. */
    public enum Action {
        /** Write it (replacing what is there, if anything). */
        WRITE,
        /** Leave the complete output alone and report the input as skipped. */
        SKIP,
        /** Continue the unfinished restoration that is there (OME-Zarr). */
        RESUME
    }

    /** What an existing output holds, as its writer judged it. */
    public enum Existing {
        /** Nothing is there. */
        NONE,
        /** The finished result of this very restoration. */
        COMPLETE,
        /** This restoration, begun and not finished (only an OME-Zarr can be). */
        UNFINISHED,
        /** Something else (another input, other settings, incomplete companions). */
        DIFFERENT,
        /** Not looked at: without {@code skipExisting} a TIFF writer does not open what is there. */
        UNCHECKED
    }

    /** Whether a writer must find out what an existing output holds (opening a TIFF costs time): only to skip. */
    public boolean needsToCheck() {
        return skipExisting && !overwrite;
    }

    /**
     * @param output the existing output, as the message names it
     * @param difference for {@link Existing#DIFFERENT}: how it differs, as the rest of "Output X already exists…"
     *        (e.g. " but does not match this input"), or "" when the writer cannot tell
     * @throws BadInputException "Output X already exists…; allow overwriting or …" when it may not be touched
     */
    public Action decide(Path output, Existing existing, String difference) throws BadInputException {
        if (existing == Existing.NONE || overwrite) {
            return Action.WRITE;
        }
        return switch (existing) {
            case COMPLETE, UNCHECKED -> {
                if (skipExisting && existing == Existing.COMPLETE) {
                    yield Action.SKIP;
                }
                if (skipExisting) {
                    throw new IllegalStateException("skipping needs the existing output checked: " + output);
                }
                throw new BadInputException("Output " + output + " already exists; allow overwriting or skip existing outputs");
            }
            case UNFINISHED -> Action.RESUME;
            default -> throw new BadInputException("Output " + output + " already exists" + difference
                    + "; allow overwriting or choose another output");
        };
    }

    /** The line a skipped input gets. */
    public static String skipped(Path input, Path output) {
        return "Skipped " + input.getFileName() + ": " + output.getFileName() + " already exists";
    }
}
