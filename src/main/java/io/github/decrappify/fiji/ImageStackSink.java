package io.github.decrappify.fiji;

import ij.ImageStack;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.restore.PlaneSink;

/**
 * Collects restored planes into an in-memory {@link ImageStack} of a given shape, in ImageJ's CZT
 * order. 8- and 16-bit outputs are rounded and clamped (NaN → 0) exactly as the TIFF writer does, so
 * the Fiji and command-line outputs are the same pixels.
 */
final class ImageStackSink implements PlaneSink {

    private final StackShape shape;
    private final ImageStack stack;
    private int written;

    ImageStackSink(StackShape shape) {
        this.shape = shape;
        this.stack = new ImageStack(shape.width(), shape.height(), shape.planeCount());
    }

    @Override
    public void writePlane(int c, int z, int t, FloatPlane plane) {
        if (plane.width() != shape.width() || plane.height() != shape.height() || plane.channels() != 1) {
            throw new IllegalArgumentException("plane " + plane + " does not fit stack " + shape);
        }
        int n = shape.planeIndex(c, z, t) + 1;
        if (stack.getPixels(n) == null) {
            written++;
        }
        stack.setPixels(convert(plane.data()), n);
    }

    private Object convert(float[] data) {
        return switch (shape.bitDepth()) {
            case 32 -> data;
            case 16 -> {
                short[] out = new short[data.length];
                for (int i = 0; i < data.length; i++) {
                    out[i] = (short) quantize(data[i], 65535);
                }
                yield out;
            }
            default -> {
                byte[] out = new byte[data.length];
                for (int i = 0; i < data.length; i++) {
                    out[i] = (byte) quantize(data[i], 255);
                }
                yield out;
            }
        };
    }

    private static int quantize(float v, int maxValue) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= maxValue ? maxValue : Math.round(v);
    }

    /** The complete stack; an incomplete one is a bug in the caller, not a user error. */
    ImageStack stack() {
        if (written != shape.planeCount()) {
            throw new IllegalStateException(written + " of " + shape.planeCount() + " planes were written");
        }
        return stack;
    }
}
