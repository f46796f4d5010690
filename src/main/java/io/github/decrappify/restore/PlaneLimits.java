package io.github.decrappify.restore;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.tile.TileModel;
import java.util.Locale;

/**
 * The plane sizes a model can restore, checked before any work by every front end (TIFF, Fiji, OME-Zarr, Spark)
 * with the same one-line refusal: at least {@link TileModel#minimumSize()} on both axes (smaller images would be
 * mostly mirror padding), and an output plane within what the output can hold.
 */
public final class PlaneLimits {

    private PlaneLimits() {
    }

    /** @throws BadInputException "TITLE is WxH pixels; model M needs at least NxN" */
    public static void requireLargeEnough(TileModel model, ImageStackSource source) throws BadInputException {
        int min = model.minimumSize();
        if (source.width() < min || source.height() < min) {
            throw new BadInputException(source.title() + " is " + source.width() + "x" + source.height()
                    + " pixels; model " + model.name() + " needs at least " + min + "x" + min);
        }
    }

    /**
     * Refuses an input whose restored planes would exceed {@code limit} (pixels times {@code bytesPerPixel}): the
     * message names the input, the output plane and, in {@code what}, the limit and what to do.
     */
    public static void requireOutputPlaneFits(TileModel model, ImageStackSource source, long limit, int bytesPerPixel,
            String what) throws BadInputException {
        long w = (long) source.width() * model.scale();
        long h = (long) source.height() * model.scale();
        if (w * h * bytesPerPixel > limit) {
            throw new BadInputException(String.format(Locale.ROOT,
                    "%s (%dx%d) restored at x%d gives planes of %dx%d pixels (%.1f GiB), more than %s", source.title(),
                    source.width(), source.height(), model.scale(), w, h, w * h * bytesPerPixel / 1073741824.0, what));
        }
    }
}
