package io.github.decrappify.net;

import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a trained generator as a TF SavedModel whose {@code serving_default} signature maps
 * {@code input [N,H,W,C]} to {@code output [N,H·s,W·s,1]}. Weights are frozen as constants: the
 * serving graph has no variable, file or optimiser ops, which keeps the op allow-list of imported
 * bundles short. H and W are unknown in the signature, so any multiple of the size multiple works.
 */
public final class SavedModelExport {
    public static final String SIGNATURE = "serving_default";
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private SavedModelExport() {}

    public static void export(UNetConfig cfg, Params weights, Path dir) throws IOException {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.withName(INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, -1, -1, cfg.inputChannels())));
            Operand<TFloat32> y = tf.withName(OUTPUT).identity(UNet.build(tf, new ConstantParams(tf, weights), cfg, 0, x));
            try (Session s = new Session(g)) {
                SavedModelBundle.exporter(dir.toString()).withSession(s)
                        .withSignature(Signature.builder().key(SIGNATURE).input(INPUT, x).output(OUTPUT, y).build())
                        .export();
            }
        }
    }
}
