package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.decrappify.net.Params;
import io.github.decrappify.runtime.Precision;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mixed-precision training ({@code train --precision bf16}) learns as fp32 training does: the same
 * run from the same seed reaches the same validation PSNR within a stated bound, and its weights
 * (the fp32 master copy) differ from the fp32 run's, which shows the bf16 rewrite really ran.
 */
class Bf16TrainingTest {

    /** Largest validation-PSNR difference allowed between bf16 and fp32 training of the same run. */
    static final double MAX_PSNR_GAP_DB = 0.3;

    @Test
    void learnsLikeFp32WithinTheBound(@TempDir Path tmp) throws Exception {
        assumeTrue(Precision.cpuHasNativeBf16(), "bf16 training is offered only on CPUs with native bf16");
        Trainer.Result fp32 = TinyTraining.trainer(TrainerTest.STEPS, tmp.resolve("fp32")).run(null, false, List.of());
        Trainer.Result bf16 = TinyTraining.trainer(TrainerTest.STEPS, tmp.resolve("bf16")).optBf16(true)
                .run(null, false, List.of());
        assertTrue(bf16.completed());
        assertTrue(bf16.lastValidation().psnr() > bf16.firstValidation().psnr() + 1,
                "bf16 validation PSNR " + bf16.firstValidation().psnr() + " -> " + bf16.lastValidation().psnr());
        double gap = bf16.lastValidation().psnr() - fp32.lastValidation().psnr();
        assertTrue(Math.abs(gap) < MAX_PSNR_GAP_DB, "bf16 " + bf16.lastValidation().psnr() + " dB vs fp32 "
                + fp32.lastValidation().psnr() + " dB");
        double maxDiff = 0;
        for (var e : fp32.weights().asMap().entrySet()) {
            Params.Tensor other = bf16.weights().get(e.getKey());
            assertEquals(e.getValue().size(), other.size(), e.getKey());
            for (int i = 0; i < other.data().length; i++) {
                assertTrue(Float.isFinite(other.data()[i]), e.getKey());
                maxDiff = Math.max(maxDiff, Math.abs(other.data()[i] - e.getValue().data()[i]));
            }
        }
        assertTrue(maxDiff > 1e-4, "bf16 weights equal the fp32 run's (max diff " + maxDiff + "): the rewrite did not run");
    }
}
