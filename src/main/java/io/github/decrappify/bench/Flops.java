package io.github.decrappify.bench;

import io.github.decrappify.net.UNet;
import io.github.decrappify.net.UNetConfig;
import java.util.Iterator;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Floating-point operations of one forward pass, counted from the network as built: the generator graph
 * of {@code cfg} with a fixed input size, every {@code Conv2D} ({@code 2·H·W·k²·Cin·Cout}) and matrix
 * product ({@code 2·M·N·K}, the attention) summed; additions of biases, activations and resampling are
 * left out (a few percent). unet-s ×4 comes to ≈ 22.9 kFLOP per output pixel.
 */
public final class Flops {

    private Flops() {}

    /** FLOPs per output pixel of {@code cfg} on a {@code lr × lr} input (a size the network takes). */
    public static double perOutputPixel(UNetConfig cfg, int lr) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(1, lr, lr, cfg.inputChannels())));
            // Weights as placeholders of their shapes: only shapes matter, nothing is run or initialised.
            UNet.build(tf, (name, init) -> tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(init.shape()))),
                    cfg, 0, in);
            double total = 0;
            for (Iterator<GraphOperation> it = g.operations(); it.hasNext();) {
                total += flops(it.next());
            }
            double out = (double) lr * cfg.scale() * lr * cfg.scale();
            return total / out;
        }
    }

    private static double flops(GraphOperation op) {
        switch (op.type()) {
            case "Conv2D": {
                Shape out = op.output(0).shape();
                Shape filter = op.input(1).shape();
                return 2.0 * elements(out) * filter.get(0) * filter.get(1) * filter.get(2);
            }
            case "MatMul":
            case "BatchMatMul":
            case "BatchMatMulV2": {
                // K = |a|·N/|out| whichever operand is transposed: |a| = batch·M·K and |out| = batch·M·N
                Shape out = op.output(0).shape();
                long n = out.get(out.numDimensions() - 1);
                double k = elements(op.input(0).shape()) * n / elements(out);
                return 2.0 * elements(out) * k;
            }
            default:
                return 0;
        }
    }

    private static double elements(Shape s) {
        if (s.isUnknown() || s.hasUnknownDimension()) {
            throw new IllegalStateException("shape " + s + " is not fully known; FLOPs need a fixed input size");
        }
        return s.size();
    }
}
