package io.github.decrappify.train;

import io.github.decrappify.net.Tensors;
import org.tensorflow.types.TFloat32;

/**
 * A training batch in NHWC order: LR inputs {@code [n, h, w, c]} and HR targets
 * {@code [n, h·s, w·s, 1]}.
 */
public record Batch(float[] input, float[] target, int n, int height, int width, int channels, int scale) {

    TFloat32 inputTensor() {
        return Tensors.of(input, n, height, width, channels);
    }

    TFloat32 targetTensor() {
        return Tensors.of(target, n, (long) height * scale, (long) width * scale, 1);
    }
}
