package io.github.decrappify.train;

import io.github.decrappify.net.Tensors;
import org.tensorflow.types.TFloat32;

/**
 * A training batch in NHWC order: LR inputs {@code [n, h, w, c]} and HR targets
 * {@code [n, h·s, w·s, 1]}; for blind-spot training also the loss mask (shaped as the targets, 1 where
 * the loss counts), else {@code null}.
 */
public record Batch(float[] input, float[] target, int n, int height, int width, int channels, int scale, float[] mask) {

    /** A batch whose loss counts every pixel. */
    public Batch(float[] input, float[] target, int n, int height, int width, int channels, int scale) {
        this(input, target, n, height, width, channels, scale, null);
    }

    public Batch {
        if (mask != null && mask.length != target.length) {
            throw new IllegalArgumentException("the loss mask has " + mask.length + " values, the targets " + target.length);
        }
    }

    TFloat32 inputTensor() {
        return Tensors.of(input, n, height, width, channels);
    }

    TFloat32 targetTensor() {
        return Tensors.of(target, n, (long) height * scale, (long) width * scale, 1);
    }

    TFloat32 maskTensor() {
        return Tensors.of(mask, n, (long) height * scale, (long) width * scale, 1);
    }
}
