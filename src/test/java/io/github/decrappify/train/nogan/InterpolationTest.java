package io.github.decrappify.train.nogan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.decrappify.net.Params;
import org.junit.jupiter.api.Test;

class InterpolationTest {

    static Params params(float... v) {
        Params p = new Params();
        p.put("a/w", new Params.Tensor(new long[] {v.length}, v));
        return p;
    }

    @Test
    void endpointsAreTheTwoGeneratorsAndTheMiddleIsLinear() {
        Params psnr = params(1, 2, 3);
        Params gan = params(3, 2, -1);
        assertSame(psnr, Interpolation.mix(psnr, gan, 1));
        assertSame(gan, Interpolation.mix(psnr, gan, 0));
        assertArrayEquals(new float[] {2, 2, 1}, Interpolation.mix(psnr, gan, 0.5).get("a/w").data(), 1e-6f);
        assertArrayEquals(new float[] {1.5f, 2, 2}, Interpolation.mix(psnr, gan, 0.75).get("a/w").data(), 1e-6f);
    }

    @Test
    void refusesMismatchesAndAlphaOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Interpolation.mix(params(1), params(1, 2), 0.5));
        assertThrows(IllegalArgumentException.class, () -> Interpolation.mix(params(1), params(2), 1.5));
        Params other = new Params();
        other.put("b/w", new Params.Tensor(new long[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Interpolation.mix(params(1), other, 0.5));
    }
}
