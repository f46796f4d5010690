package io.github.decrappify.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Precision;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The bench's FLOP count (from the network as built) and its matrix-multiply peak, at tiny sizes. */
class FlopsAndPeakTest {

    @Test
    void unetSx4IsAbout23KiloFlopPerOutputPixel() {
        double f = Flops.perOutputPixel(UNetConfig.unetS(4, 1), 64);
        // issue 15's figure, counted by hand from the layer list: 22.9 kFLOP per output pixel
        assertEquals(22.9e3, f, 0.02 * 22.9e3, "FLOP per output pixel " + f);
        // per output pixel it does not depend on the input size (convolutions and windowed attention are local)
        assertEquals(f, Flops.perOutputPixel(UNetConfig.unetS(4, 1), 128), 1e-6 * f);
        // a x1 network of the same widths computes each output pixel with 16x the work (no pixel shuffle)
        double denoise = Flops.perOutputPixel(UNetConfig.unetS(1, 1), 64);
        assertTrue(denoise > 10 * f, "x1 " + denoise + " vs x4 " + f);
    }

    @Test
    void matMulPeakIsMeasured() {
        double fp32 = MatMulPeak.gflops(128, 2, false);
        assertTrue(fp32 > 0.1 && fp32 < 1e5, "GFLOP/s " + fp32);
        Assumptions.assumeTrue(Precision.cpuHasNativeBf16(), "no native bf16");
        double bf16 = MatMulPeak.gflops(128, 2, true);
        assertTrue(bf16 > 0.1 && bf16 < 1e5, "bf16 GFLOP/s " + bf16);
    }
}
