package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Where a NoGAN run is, beyond the network variables: phase and step, optimiser step counters, the
 * learning-rate factor left by NaN roll-backs, the GAN phase's switch and inflection bookkeeping,
 * validation results and per-phase summaries. Stored in the checkpoint as YAML, so a resumed run
 * continues exactly where the checkpoint was written.
 */
final class RunState {

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
    // critic pretraining
    List<Double> accuracies = new ArrayList<>();
    // GAN phase
    boolean generatorTurn;
    long ganGenerator;
    long ganCritic;
    long lastValidated;
    int sinceBest;
    double lastCriticLoss = Double.NaN;
    Metrics phaseBest;
    String phaseBestFrom;
    String phaseStop;
    List<Map<String, Object>> phases = new ArrayList<>();
    Map<String, List<Double>> timing = new LinkedHashMap<>();

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

    void resetPhase() {
        step = 0;
        accuracies = new ArrayList<>();
        generatorTurn = false;
        ganGenerator = 0;
        ganCritic = 0;
        lastValidated = 0;
        sinceBest = 0;
        lastCriticLoss = Double.NaN;
        phaseBest = null;
        phaseBestFrom = null;
        phaseStop = null;
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
        m.put("accuracies", accuracies);
        m.put("generator_turn", generatorTurn);
        m.put("gan_generator", ganGenerator);
        m.put("gan_critic", ganCritic);
        m.put("last_validated", lastValidated);
        m.put("since_best", sinceBest);
        m.put("last_critic_loss", Double.isNaN(lastCriticLoss) ? null : lastCriticLoss);
        m.put("phase_best", phaseBest == null ? null : phaseBest.toMap());
        m.put("phase_best_from", phaseBestFrom);
        m.put("phase_stop", phaseStop);
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
        s.accuracies = new ArrayList<>();
        for (Object a : (List<Object>) m.get("accuracies")) {
            s.accuracies.add(((Number) a).doubleValue());
        }
        s.generatorTurn = (Boolean) m.get("generator_turn");
        s.ganGenerator = ((Number) m.get("gan_generator")).longValue();
        s.ganCritic = ((Number) m.get("gan_critic")).longValue();
        s.lastValidated = ((Number) m.get("last_validated")).longValue();
        s.sinceBest = ((Number) m.get("since_best")).intValue();
        Object lc = m.get("last_critic_loss");
        s.lastCriticLoss = lc == null ? Double.NaN : ((Number) lc).doubleValue();
        s.phaseBest = Metrics.fromMap((Map<?, ?>) m.get("phase_best"));
        s.phaseBestFrom = (String) m.get("phase_best_from");
        s.phaseStop = (String) m.get("phase_stop");
        s.phases = new ArrayList<>((List<Map<String, Object>>) m.get("phases"));
        s.timing = new LinkedHashMap<>();
        ((Map<String, List<Object>>) m.get("timing")).forEach((k, v) -> s.timing.put(k,
                new ArrayList<>(List.of(((Number) v.get(0)).doubleValue(), ((Number) v.get(1)).doubleValue()))));
        return s;
    }
}
