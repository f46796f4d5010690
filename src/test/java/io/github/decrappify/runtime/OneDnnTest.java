package io.github.decrappify.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.github.decrappify.model.ModelBundle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/** oneDNN is switched on for TensorFlow even on CPUs where TF 2.16 leaves it off by default. */
class OneDnnTest {

    interface LibC extends Library {
        String getenv(String name);
    }

    @Test
    void convolutionsRunOnOneDnnKernels() throws Exception {
        assumeTrue(System.getenv(OneDnn.VARIABLE) == null, "the user chose oneDNN themselves");
        TensorFlowNatives.prepare(Device.CPU);
        assertTrue(TensorFlowNatives.oneDnnEnabled());
        assertEquals("1", Native.load("c", LibC.class).getenv(OneDnn.VARIABLE), "C environment seen by TensorFlow");

        ModelBundle b = ModelBundle.open(Path.of("models/em-x4-unet-s"));
        List<String> convKernels = new ArrayList<>();
        try (SavedModelBundle m = SavedModelBundle.load(b.savedModelDir().toString(), "serve");
                TFloat32 x = TFloat32.tensorOf(Shape.of(1, 64, 64, 1))) {
            var sig = m.function("serving_default").signature();
            String in = sig.getInputs().values().iterator().next().name;
            String out = sig.getOutputs().values().iterator().next().name;
            RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
            try (Result r = m.session().runner().feed(in, x).fetch(out).setOptions(trace).runAndFetchMetadata()) {
                for (DeviceStepStats d : r.getMetadata().get().getStepStats().getDevStatsList()) {
                    for (NodeExecStats ns : d.getNodeStatsList()) {
                        if (ns.getTimelineLabel().contains("Conv2D")) {
                            convKernels.add(ns.getTimelineLabel());
                        }
                    }
                }
            }
        }
        assertTrue(convKernels.size() > 10, "convolutions traced: " + convKernels.size());
        for (String k : convKernels) {
            assertTrue(k.contains("_Mkl"), "not a oneDNN kernel: " + k);
        }
    }
}
