package io.github.decrappify.image;

/**
 * A 5D grayscale image (X, Y, channel C, slice Z, frame T) read one plane at a time, so that stacks
 * larger than the heap can be processed.
 *
 * <p>Indices are 0-based. Planes are returned as single-channel {@link FloatPlane}s holding the raw
 * pixel values converted to float (8- and 16-bit values are exact). Values are not checked when read
 * by {@link #readPlane}; use {@link #readFinitePlane} where NaN or infinity must be refused.
 *
 * <pre>{@code
 * try (ImageStackSource src = ImageJStackSource.open(path)) {
 *     FloatPlane p = src.readFinitePlane(0, src.slices() / 2, 0);
 * }
 * }</pre>
 */
public interface ImageStackSource extends AutoCloseable {

    int width();

    int height();

    int channels();

    int slices();

    int frames();

    /**
     * 8 or 16 (unsigned integers) or 32 (float, and integers that do not fit 8/16-bit unsigned: see
     * {@link #sampleType()}); other ImageJ types are refused when the source is created.
     */
    int bitDepth();

    Calibration calibration();

    /** What the file's numbers are; planes hold them (see {@link SampleType}). */
    default SampleType sampleType() {
        return SampleType.ofBitDepth(bitDepth());
    }

    String title();

    /** Reads plane (c, z, t); a fresh array each call, owned by the caller. */
    FloatPlane readPlane(int c, int z, int t) throws BadInputException;

    /** Total number of planes, C·Z·T. */
    default int planeCount() {
        return shape().planeCount();
    }

    default StackShape shape() {
        return new StackShape(width(), height(), channels(), slices(), frames(), bitDepth());
    }

    /** Like {@link #readPlane} but refuses planes containing NaN or infinite values. */
    default FloatPlane readFinitePlane(int c, int z, int t) throws BadInputException {
        FloatPlane plane = readPlane(c, z, t);
        FinitePixels.require(plane, title() + " (c=" + (c + 1) + ", z=" + (z + 1) + ", t=" + (t + 1) + ")");
        return plane;
    }

    /** Like {@link #readFinitePlane(int, int, int)}, by 0-based position in ImageJ's czt order. */
    default FloatPlane readFinitePlane(int index) throws BadInputException {
        StackShape s = shape();
        if (index < 0 || index >= s.planeCount()) {
            throw new IndexOutOfBoundsException("plane " + index + " outside " + s);
        }
        return readFinitePlane(index % s.channels(), index / s.channels() % s.slices(),
                index / (s.channels() * s.slices()));
    }

    /** Releases file handles; no-op for in-memory sources. No checked exception. */
    @Override
    void close();
}
