package io.github.decrappify.fiji;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.runtime.Precision;
import org.junit.jupiter.api.Test;

/** Train… and Fine-tune…'s Precision choice: the CLI's rule, worded for the dialog. */
class TrainPrecisionChoiceTest {

    @Test
    void fp32ByDefaultBf16OnlyOnTheCpuWhereNative() {
        assertFalse(DecrappifyCommand.trainBf16("fp32", "gpu"));
        String gpu = assertThrows(IllegalArgumentException.class, () -> DecrappifyCommand.trainBf16("bf16", "gpu"))
                .getMessage();
        assertTrue(gpu.startsWith("Precision bf16 trains on the CPU") && gpu.contains("device cpu or auto"), gpu);
        if (Precision.cpuHasNativeBf16()) {
            assertTrue(DecrappifyCommand.trainBf16("bf16", "cpu"));
        } else {
            String emulated = assertThrows(IllegalArgumentException.class, () -> DecrappifyCommand.trainBf16("bf16", "cpu"))
                    .getMessage();
            assertTrue(emulated.contains("no native bf16"), emulated);
        }
    }
}
