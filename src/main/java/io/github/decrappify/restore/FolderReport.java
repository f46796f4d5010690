package io.github.decrappify.restore;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Restorer#restoreFolder} did.
 *
 * @param failures the inputs that could not be restored, each with its one-line reason
 */
public record FolderReport(int restored, int skipped, List<Failure> failures) {

    /** An input that failed and why. */
    public record Failure(Path input, String reason) {
    }

    public FolderReport {
        failures = List.copyOf(failures);
    }

    /** Non-zero means the run as a whole failed (the CLI exits non-zero). */
    public int failureCount() {
        return failures.size();
    }
}
