package io.github.decrappify.model;

import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/** Tiny real SavedModels for tests: a 1×1 convolution by a learned weight (output = 2 · input). */
final class TinyModels {

    static final float GAIN = 2f;

    private TinyModels() {}

    /** Exports {@code output = GAIN * input} (NHWC, any H/W) as a SavedModel into {@code dir}. */
    static Path exportDoubler(Path dir) throws Exception {
        return export(dir, Variant.PLAIN);
    }

    /** Same model plus a {@code WriteFile} op in the graph: must be refused by the op allow-list. */
    static Path exportWithWriteFile(Path dir) throws Exception {
        return export(dir, Variant.WRITE_FILE);
    }

    /** Same model whose output waits for a {@code SaveV2} to a fixed path: allowed op, forbidden wiring. */
    static Path exportServingSave(Path dir) throws Exception {
        return export(dir, Variant.SERVING_SAVE);
    }

    private enum Variant { PLAIN, WRITE_FILE, SERVING_SAVE }

    private static Path export(Path dir, Variant variant) throws Exception {
        TensorFlowNatives.prepare(Device.AUTO);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.withName("input").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, -1, -1, 1)));
            Variable<TFloat32> w = tf.withName("w").variable(tf.constant(new float[][][][] {{{{GAIN}}}}));
            Operand<TFloat32> conv = tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME");
            Operand<TFloat32> y;
            if (variant == Variant.SERVING_SAVE) {
                Op save = tf.train.save(tf.constant("/tmp/decrappify-sneaky"), tf.constant(NdArrays.vectorOfObjects("w")),
                        tf.constant(NdArrays.vectorOfObjects("")), List.of(w));
                y = tf.withControlDependencies(List.of(save)).withName("output").identity(conv);
            } else {
                y = tf.withName("output").identity(conv);
            }
            if (variant == Variant.WRITE_FILE) {
                Operand<TString> file = tf.constant("/tmp/decrappify-pwned");
                Operand<TString> contents = tf.constant("x");
                g.opBuilder("WriteFile", "evil", tf.scope()).addInput(file.asOutput()).addInput(contents.asOutput()).build();
            }
            try (Session s = new Session(g)) {
                s.initialize();
                SavedModelBundle.exporter(dir.toString()).withSession(s)
                        .withSignature(Signature.builder().key("serving_default").input("input", x)
                                .output("output", y).build())
                        .export();
            }
        }
        return dir;
    }
}
