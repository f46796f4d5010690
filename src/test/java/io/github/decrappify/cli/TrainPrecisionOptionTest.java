package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.runtime.Device;
import org.junit.jupiter.api.Test;

/** {@code train --precision}: fp32 by default, bf16 only on the CPU and only where it is native. */
class TrainPrecisionOptionTest {

    @Test
    void fp32AndNativeBf16() {
        assertFalse(TrainCommand.trainBf16("fp32", Device.AUTO, true));
        assertFalse(TrainCommand.trainBf16("FP32", Device.GPU, false));
        assertTrue(TrainCommand.trainBf16("bf16", Device.AUTO, true));
        assertTrue(TrainCommand.trainBf16("bf16", Device.CPU, true));
    }

    @Test
    void refusalsNameTheOptionAndTheWayOut() {
        String emulated = assertThrows(BadOptionException.class, () -> TrainCommand.trainBf16("bf16", Device.CPU, false))
                .getMessage();
        assertTrue(emulated.contains("--precision bf16") && emulated.contains("no native bf16")
                && emulated.contains("precision fp32"), emulated);
        String gpu = assertThrows(BadOptionException.class, () -> TrainCommand.trainBf16("bf16", Device.GPU, true))
                .getMessage();
        assertTrue(gpu.startsWith("--precision") && gpu.contains("device cpu or auto"), gpu);
        String auto = assertThrows(BadOptionException.class, () -> TrainCommand.trainBf16("auto", Device.CPU, true))
                .getMessage();
        assertTrue(auto.contains("fp32 or bf16"), auto);
        String typo = assertThrows(BadOptionException.class, () -> TrainCommand.trainBf16("fp16", Device.CPU, true))
                .getMessage();
        assertTrue(typo.contains("--precision") && typo.contains("fp16"), typo);
    }
}
