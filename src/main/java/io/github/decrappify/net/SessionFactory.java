package io.github.decrappify.net;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

/** Sessions with explicit thread settings (design.md: inter-op 2 helps training, not inference). */
public final class SessionFactory {
    private SessionFactory() {}

    public static Session create(Graph g, int intraOpThreads, int interOpThreads, boolean allowGpu) {
        return create(g, intraOpThreads, interOpThreads, allowGpu, false);
    }

    /**
     * With {@code bf16}, oneDNN's auto-mixed-precision rewrite runs the graph's convolutions, matrix
     * products and their gradients in bf16 while variables (the master weights), the optimiser's
     * updates and the loss reductions stay float32 (TensorFlow keeps those ops in fp32). On a CPU with
     * AVX512_BF16 this trains unet-s ×4 1.4× faster (docs/performance.md); without native bf16 it is
     * emulated and slower, so callers allow it only on such CPUs. The rewrite is oneDNN's, so a bf16
     * session keeps off the GPU whatever {@code allowGpu} says.
     */
    public static Session create(Graph g, int intraOpThreads, int interOpThreads, boolean allowGpu, boolean bf16) {
        ConfigProto.Builder cfg = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(Math.max(0, intraOpThreads))
                .setInterOpParallelismThreads(Math.max(0, interOpThreads))
                .setAllowSoftPlacement(true);
        if (bf16) {
            cfg.getGraphOptionsBuilder().getRewriteOptionsBuilder()
                    .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
        }
        if (!allowGpu || bf16) {
            cfg.putDeviceCount("GPU", 0);
        }
        return new Session(g, cfg.build());
    }
}
