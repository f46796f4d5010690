package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Where a NoGAN run is, beyond the network variables: phase and step, optimiser step counters, the
 * learning-rate factor left by NaN roll-backs, validation results, per-phase summaries and step times.
 * The phase in progress keeps its own bookkeeping ({@link NoGanPhase#save}); it travels here as
 * {@link #phaseValues}, at the top level of the same YAML document, so checkpoints written before the
 * phases owned their state (every phase's keys at the top level) still resume.
 */
final class RunState {

    /** The run-level keys; every other top-level key belongs to the phase in progress. */
    private static final Set<String> RUN_KEYS = Set.of("phase", "step", "generator_steps", "critic_steps", "encoder_steps",
            "lr_factor", "rollbacks", "base", "pre_gan", "best", "best_from", "stop_cycles", "done", "phases", "timing");

    int phase;
    long step;
    long generatorSteps;
    long criticSteps;
    long encoderSteps;
    double lrFactor = 1;
    int rollbacks;
    Metrics base;
    Metrics preGan;
    Metrics best;
    String bestFrom = "base model";
    boolean stopCycles;
    boolean done;
    List<Map<String, Object>> phases = new ArrayList<>();
    Map<String, List<Double>> timing = new LinkedHashMap<>();
    /** The phase in progress's bookkeeping as last saved or read (empty for a fresh phase). */
    Map<String, Object> phaseValues = new LinkedHashMap<>();

    /** Adds one step's wall time to {@code kind}'s total. */
    void time(String kind, double seconds) {
        List<Double> t = timing.computeIfAbsent(kind, k -> new ArrayList<>(List.of(0.0, 0.0)));
        t.set(0, t.get(0) + seconds);
        t.set(1, t.get(1) + 1);
    }

    /** Mean seconds per step by kind ({@code generator}, {@code gan_generator}, {@code critic}, {@code encoder}). */
    Map<String, Double> secondsPerStep() {
        Map<String, Double> m = new LinkedHashMap<>();
        timing.forEach((k, t) -> m.put(k, t.get(1) > 0 ? Metrics.round(t.get(0) / t.get(1), 4) : Double.NaN));
        return m;
    }

    String toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase);
        m.put("step", step);
        m.put("generator_steps", generatorSteps);
        m.put("critic_steps", criticSteps);
        m.put("encoder_steps", encoderSteps);
        m.put("lr_factor", lrFactor);
        m.put("rollbacks", rollbacks);
        m.put("base", base == null ? null : base.toMap());
        m.put("pre_gan", preGan == null ? null : preGan.toMap());
        m.put("best", best == null ? null : best.toMap());
        m.put("best_from", bestFrom);
        m.put("stop_cycles", stopCycles);
        m.put("done", done);
        phaseValues.forEach((k, v) -> {
            if (RUN_KEYS.contains(k)) {
                throw new IllegalStateException("phase value " + k + " would overwrite the run's");
            }
            m.put(k, v);
        });
        m.put("phases", phases);
        m.put("timing", timing);
        return new Yaml().dump(m);
    }

    @SuppressWarnings("unchecked")
    static RunState fromYaml(String yaml) {
        Map<String, Object> m = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        RunState s = new RunState();
        s.phase = ((Number) m.get("phase")).intValue();
        s.step = ((Number) m.get("step")).longValue();
        s.generatorSteps = ((Number) m.get("generator_steps")).longValue();
        s.criticSteps = ((Number) m.get("critic_steps")).longValue();
        s.encoderSteps = ((Number) m.get("encoder_steps")).longValue();
        s.lrFactor = ((Number) m.get("lr_factor")).doubleValue();
        s.rollbacks = ((Number) m.get("rollbacks")).intValue();
        s.base = Metrics.fromMap((Map<?, ?>) m.get("base"));
        s.preGan = Metrics.fromMap((Map<?, ?>) m.get("pre_gan"));
        s.best = Metrics.fromMap((Map<?, ?>) m.get("best"));
        s.bestFrom = (String) m.get("best_from");
        s.stopCycles = (Boolean) m.get("stop_cycles");
        s.done = (Boolean) m.get("done");
        s.phases = new ArrayList<>((List<Map<String, Object>>) m.get("phases"));
        s.timing = new LinkedHashMap<>();
        ((Map<String, List<Object>>) m.get("timing")).forEach((k, v) -> s.timing.put(k,
                new ArrayList<>(List.of(((Number) v.get(0)).doubleValue(), ((Number) v.get(1)).doubleValue()))));
        m.forEach((k, v) -> {
            if (!RUN_KEYS.contains(k)) {
                s.phaseValues.put(k, v);
            }
        });
        return s;
    }

    // Typed reads of phase values, with the value of a fresh phase when absent.

    static long longValue(Map<String, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }

    static double doubleValue(Map<String, ?> m, String key, double absent) {
        Object v = m.get(key);
        return v == null ? absent : ((Number) v).doubleValue();
    }

    static boolean booleanValue(Map<String, ?> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    static String stringValue(Map<String, ?> m, String key) {
        return (String) m.get(key);
    }

    static List<Double> doubles(Map<String, ?> m, String key) {
        List<Double> out = new ArrayList<>();
        Object v = m.get(key);
        if (v != null) {
            for (Object a : (List<?>) v) {
                out.add(((Number) a).doubleValue());
            }
        }
        return out;
    }
}
