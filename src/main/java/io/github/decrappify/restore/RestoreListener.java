package io.github.decrappify.restore;

/**
 * Progress and messages from a {@link Restorer}; the library never prints. Front ends map these to a
 * progress bar, Fiji's status line or log lines. All methods have empty defaults.
 */
public interface RestoreListener {

    RestoreListener NONE = new RestoreListener() {
    };

    /** A plane was written: {@code done} of {@code total} planes of the current image (1-based). */
    default void plane(int done, int total) {
    }

    /** A tile of the current plane was predicted: {@code done} of {@code total}. */
    default void tile(int done, int total) {
    }

    /** A line for the user: what is being done, skipped, or failed (folder mode). */
    default void message(String text) {
    }
}
