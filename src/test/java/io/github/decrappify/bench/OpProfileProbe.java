package io.github.decrappify.bench;

import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/** Manual probe: per-op-type time of a bundle's graph on an n² LR input (TF step stats). */
public class OpProfileProbe {
    public static void main(String[] a) throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        ModelBundle b = ModelBundle.open(Path.of(a[0]));
        int n = Integer.parseInt(a[1]);
        try (SavedModelBundle m = SavedModelBundle.load(b.savedModelDir().toString(), "serve");
                TFloat32 x = TFloat32.tensorOf(Shape.of(1, n, n, 1))) {
            var sig = m.function("serving_default").signature();
            String in = m.function("serving_default").signature().getInputs().values().iterator().next().name;
            String out = m.function("serving_default").signature().getOutputs().values().iterator().next().name;
            Session s = m.session();
            for (int i = 0; i < 3; i++) {
                s.runner().feed(in, x).fetch(out).run().close();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                s.runner().feed(in, x).fetch(out).run().close();
            }
            System.out.printf("plain: %.1f ms/run%n", (System.nanoTime() - t0) / 5e6);
            RunOptions opts = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
            Map<String, Long> byType = new HashMap<>();
            long total = 0;
            for (int i = 0; i < 3; i++) {
                try (Result r = s.runner().feed(in, x).fetch(out).setOptions(opts).runAndFetchMetadata()) {
                    for (DeviceStepStats d : r.getMetadata().get().getStepStats().getDevStatsList()) {
                        for (NodeExecStats ns : d.getNodeStatsList()) {
                            String label = ns.getTimelineLabel();
                            String type = label.contains("= ") ? label.substring(label.indexOf("= ") + 2) : label;
                            type = type.contains("(") ? type.substring(0, type.indexOf('(')) : type;
                            long us = ns.getOpEndRelMicros() - ns.getOpStartRelMicros();
                            byType.merge(type, us, Long::sum);
                            total += us;
                        }
                    }
                }
            }
            long tot = total;
            byType.entrySet().stream().sorted((p, q) -> Long.compare(q.getValue(), p.getValue())).limit(25)
                    .forEach(e -> System.out.printf("%-40s %8.1f ms %5.1f %%%n", e.getKey(), e.getValue() / 3e3, 100.0 * e.getValue() / tot));
        }
    }
}
