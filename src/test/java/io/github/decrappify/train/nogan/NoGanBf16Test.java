package io.github.decrappify.train.nogan;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.decrappify.net.Params;
import io.github.decrappify.runtime.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finetune --precision bf16}: the NoGAN run (pretraining, critic, GAN) completes in mixed
 * precision, its pre-GAN generator scores as the fp32 run's within a stated bound, and its weights
 * differ from the fp32 run's (the rewrite ran).
 */
class NoGanBf16Test {

    /** Largest pre-GAN validation-PSNR difference allowed between the bf16 and the fp32 run. */
    static final double MAX_PSNR_GAP_DB = 0.3;

    @Test
    void fineTunesLikeFp32WithinTheBound(@TempDir Path work) throws Exception {
        assumeTrue(Precision.cpuHasNativeBf16(), "bf16 training is offered only on CPUs with native bf16");
        NoGanConfig cfg = TinyNoGan.config().optFeatures(FeatureNet.NONE, null).optCycles(1).build();
        NoGanTrainer.Outcome fp32 = new NoGanTrainer(cfg, TinyNoGan.data(), work.resolve("fp32")).optAllowGpu(false)
                .run(TinyNoGan.base(), false, List.of());
        NoGanTrainer.Outcome bf16 = new NoGanTrainer(cfg, TinyNoGan.data(), work.resolve("bf16")).optAllowGpu(false)
                .optBf16(true).run(TinyNoGan.base(), false, List.of());
        assertTrue(bf16.completed());
        assertTrue(bf16.preGanMetrics().psnr() > bf16.base().psnr(),
                "bf16 pretraining " + bf16.base().psnr() + " -> " + bf16.preGanMetrics().psnr() + " dB");
        double gap = bf16.preGanMetrics().psnr() - fp32.preGanMetrics().psnr();
        assertTrue(Math.abs(gap) < MAX_PSNR_GAP_DB, "pre-GAN bf16 " + bf16.preGanMetrics().psnr() + " dB vs fp32 "
                + fp32.preGanMetrics().psnr());
        double maxDiff = 0;
        for (Map.Entry<String, Params.Tensor> e : fp32.preGan().asMap().entrySet()) {
            float[] a = e.getValue().data();
            float[] b = bf16.preGan().get(e.getKey()).data();
            for (int i = 0; i < a.length; i++) {
                assertTrue(Float.isFinite(b[i]), e.getKey());
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            }
        }
        assertTrue(maxDiff > 1e-5, "bf16 weights equal the fp32 run's (max diff " + maxDiff + "): the rewrite did not run");
    }
}
