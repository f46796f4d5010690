package io.github.decrappify.image.zarr;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.StackShape;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An OME-Zarr image as an {@link ImageStackSource}: planes and windows are read from the chunks that
 * hold them, so memory does not grow with the volume. Chunks deeper than one plane are kept in a small
 * cache (64 MB by default) so that reading plane after plane decodes each chunk once.
 */
public final class OmeZarrStackSource implements ImageStackSource {

    static final long DEFAULT_CACHE_BYTES = 64L << 20;

    private final OmeZarr image;
    private final ZarrArray array;
    private final String title;

    private OmeZarrStackSource(OmeZarr image, long cacheBytes) {
        this.image = image;
        this.array = image.chunkXyz()[2] > 1 ? image.array().cached(cacheBytes) : image.array();
        this.title = image.root().getFileName().toString();
    }

    /**
     * @throws BadInputException with a one-line reason if the path is not a readable, supported OME-Zarr
     */
    public static OmeZarrStackSource open(Path path) throws BadInputException {
        try {
            return new OmeZarrStackSource(OmeZarr.open(path), DEFAULT_CACHE_BYTES);
        } catch (IOException e) {
            throw new BadInputException(e.getMessage() + "; check the path (an OME-Zarr image folder or Zarr array)", e);
        }
    }

    public OmeZarr image() {
        return image;
    }

    @Override
    public int width() {
        return image.shape().width();
    }

    @Override
    public int height() {
        return image.shape().height();
    }

    @Override
    public int channels() {
        return image.shape().channels();
    }

    @Override
    public int slices() {
        return image.shape().slices();
    }

    @Override
    public int frames() {
        return image.shape().frames();
    }

    @Override
    public int bitDepth() {
        return image.shape().bitDepth();
    }

    @Override
    public StackShape shape() {
        return image.shape();
    }

    @Override
    public Calibration calibration() {
        return image.calibration();
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public FloatPlane readPlane(int c, int z, int t) throws BadInputException {
        return readWindow(c, z, t, 0, 0, width(), height());
    }

    /** A w×h window at (x, y) of plane (c, z, t). */
    public FloatPlane readWindow(int c, int z, int t, int x, int y, int w, int h) throws BadInputException {
        image.shape().planeIndex(c, z, t);
        long[] offset = new long[array.rank()];
        int[] size = new int[array.rank()];
        try {
            float[] data = readRegion(c, z, t, x, y, w, h, offset, size);
            return new FloatPlane(w, h, data);
        } catch (IOException e) {
            throw new BadInputException(title + ": cannot read plane (c=" + (c + 1) + ", z=" + (z + 1) + ", t=" + (t + 1)
                    + "): " + e.getMessage(), e);
        }
    }

    private float[] readRegion(int c, int z, int t, int x, int y, int w, int h, long[] offset, int[] size)
            throws IOException {
        if (array == image.array()) {
            return image.readWindow(c, z, t, x, y, w, h);
        }
        // Same as OmeZarr.readWindow, through the cached array.
        int[] pos = {t, c, z, y, x};
        int[] len = {1, 1, 1, h, w};
        int[] index = image.axisIndexes();
        for (int a = 0; a < 5; a++) {
            if (index[a] >= 0) {
                offset[index[a]] = pos[a];
                size[index[a]] = len[a];
            }
        }
        return array.readRegion(offset, size);
    }

    @Override
    public void close() {
    }
}
