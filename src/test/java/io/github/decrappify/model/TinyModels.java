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
import org.tensorflow.ndarray.Shape;
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
        return export(dir, false);
    }

    /** Same model plus a {@code WriteFile} op in the graph: must be refused by the op allow-list. */
    static Path exportWithWriteFile(Path dir) throws Exception {
        return export(dir, true);
    }

    private static Path export(Path dir, boolean hostile) throws Exception {
        TensorFlowNatives.prepare(Device.AUTO);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.withName("input").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, -1, -1, 1)));
            Variable<TFloat32> w = tf.withName("w").variable(tf.constant(new float[][][][] {{{{GAIN}}}}));
            Operand<TFloat32> y = tf.withName("output").nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME");
            if (hostile) {
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
