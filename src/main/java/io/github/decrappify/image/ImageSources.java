package io.github.decrappify.image;

import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.image.zarr.OmeZarrStackSource;
import java.nio.file.Path;

/** Opens an input image by what it is: an OME-Zarr folder (or a path named {@code *.zarr}), else an image file. */
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
}
