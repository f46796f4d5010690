package io.github.decrappify.volume;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.FinitePixels;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.zarr.OmeZarrStackSource;
import java.io.Serializable;

/**
 * A channel of a stack cut into pieces for streaming statistics: chunk-aligned windows of each plane
 * for OME-Zarr (each input chunk decoded about once, planes of a chunk consecutive), whole planes
 * otherwise. Pieces are numbered so that none is held in a list.
 *
 * @param pieceWidth,pieceHeight window size (the input's chunk size, or the plane size)
 */
public record Pieces(int width, int height, int slices, int frames, int pieceWidth, int pieceHeight)
        implements Serializable {

    public static Pieces of(ImageStackSource source) {
        if (source instanceof OmeZarrStackSource zarr) {
            int[] c = zarr.image().chunkXyz();
            return new Pieces(source.width(), source.height(), source.slices(), source.frames(), c[0], c[1]);
        }
        return new Pieces(source.width(), source.height(), source.slices(), source.frames(), source.width(),
                source.height());
    }

    private int columns() {
        return (width + pieceWidth - 1) / pieceWidth;
    }

    private int rows() {
        return (height + pieceHeight - 1) / pieceHeight;
    }

    /** Pieces per channel. */
    public long count() {
        return (long) frames * rows() * columns() * slices;
    }

    /** Reads piece {@code index} of channel c (z fastest, then x, y, t), refusing NaN and infinity. */
    public FloatPlane read(ImageStackSource source, int c, long index) throws BadInputException {
        int z = (int) (index % slices);
        long rest = index / slices;
        int col = (int) (rest % columns());
        rest /= columns();
        int row = (int) (rest % rows());
        int t = (int) (rest / rows());
        if (source instanceof OmeZarrStackSource zarr) {
            int x = col * pieceWidth;
            int y = row * pieceHeight;
            FloatPlane p = zarr.readWindow(c, z, t, x, y, Math.min(pieceWidth, width - x), Math.min(pieceHeight, height - y));
            FinitePixels.require(p, source.title() + " (c=" + (c + 1) + ", z=" + (z + 1) + ", t=" + (t + 1) + ")");
            return p;
        }
        return source.readFinitePlane(c, z, t);
    }
}
