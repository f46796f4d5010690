package io.github.decrappify.image;

import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.image.zarr.OmeZarrStackSource;
import java.nio.file.Path;

/**
 * Opens an input image by what it is: an OME-Zarr folder (or a path named {@code *.zarr}), else an image
 * file. The one way every command reads images (restore, crappify, train, finetune, evaluate), so
 * each refuses the same bad inputs with the same one-line reasons ({@link ImageJStackSource}) and
 * sees the same values; read planes with {@link ImageStackSource#readFinitePlane} to refuse NaN/Inf.
 */
public final class ImageSources {

    private ImageSources() {
    }

    /** True for an OME-Zarr/Zarr folder or a path whose name ends in {@code .zarr}. */
    public static boolean isZarr(Path path) {
        return OmeZarr.isZarr(path) || OmeZarr.hasZarrName(path);
    }

    /** @throws BadInputException with a one-line reason when the input cannot be read */
    public static ImageStackSource open(Path path) throws BadInputException {
        return isZarr(path) ? OmeZarrStackSource.open(path) : ImageJStackSource.open(path);
    }

    /**
     * A 2D grayscale image as floats, read with the checks of {@link #open} and refused with NaN/Inf pixels.
     *
     * @throws BadInputException when unreadable, not 2D, or not finite
     */
    public static FloatPlane readSinglePlane(Path path) throws BadInputException {
        try (ImageStackSource src = open(path)) {
            if (src.planeCount() != 1) {
                throw new BadInputException(path.getFileName() + " has " + src.planeCount()
                        + " planes; a 2D image is needed here");
            }
            return src.readFinitePlane(0, 0, 0);
        }
    }
}
