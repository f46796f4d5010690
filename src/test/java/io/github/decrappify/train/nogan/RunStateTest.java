package io.github.decrappify.train.nogan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.train.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Checkpoints written before the phases owned their bookkeeping (every phase's keys at the top level) still resume. */
class RunStateTest {

    /** The progress entry of a checkpoint written mid-GAN by the trainer before the shared loop. */
    static final String OLD_MID_GAN = """
            phase: 5
            step: 7
            generator_steps: 30
            critic_steps: 41
            encoder_steps: 0
            lr_factor: 0.5
            rollbacks: 1
            base: {psnr: 20.5, ssim: 0.61, frc_px: 4.2}
            pre_gan: {psnr: 22.25, ssim: 0.7, frc_px: 3.9}
            best: {psnr: 22.25, ssim: 0.7, frc_px: 3.9}
            best_from: pretrained generator
            stop_cycles: false
            done: false
            accuracies: []
            generator_turn: true
            gan_generator: 2
            gan_critic: 5
            last_validated: 0
            since_best: 1
            last_critic_loss: 0.6125
            phase_best: {psnr: 22.1, ssim: 0.69, frc_px: 3.7}
            phase_best_from: gan-1 after 2 generator steps
            phase_stop: null
            phases:
            - {phase: pretrain, steps: 20}
            timing:
              generator: [1.5, 10.0]
            """;

    @Test
    void anOlderCheckpointsGanBookkeepingReachesTheGanPhase() {
        RunState s = RunState.fromYaml(OLD_MID_GAN);
        assertEquals(5, s.phase);
        assertEquals(7, s.step);
        assertEquals(0.5, s.lrFactor);
        assertEquals(new Metrics(22.25, 0.7, 3.9), s.preGan);
        assertEquals(0.15, s.secondsPerStep().get("generator"), 1e-12);

        GanPhase gan = new GanPhase(null, new NoGanTrainer.Phase(NoGanTrainer.Kind.GAN, 1), 5);
        gan.load(s.phaseValues);
        Map<String, Object> saved = new LinkedHashMap<>();
        gan.save(saved);
        Map<String, Object> old = new Yaml(new SafeConstructor(new LoaderOptions())).load(OLD_MID_GAN);
        for (String key : List.of("generator_turn", "gan_generator", "gan_critic", "last_validated", "since_best",
                "last_critic_loss", "phase_best", "phase_best_from", "phase_stop")) {
            assertEquals(number(old.get(key)), number(saved.get(key)), key);
        }

        // Written again, the run's state and the phase's keys come back as they were.
        s.phaseValues = saved;
        RunState again = RunState.fromYaml(s.toYaml());
        assertEquals(s.toYaml(), again.toYaml());
        assertEquals(s.phaseValues.keySet(), again.phaseValues.keySet());
    }

    @Test
    void anOlderCheckpointsCriticBookkeepingReachesTheCriticPhase() {
        String critic = OLD_MID_GAN.replace("phase: 5", "phase: 4").replace("accuracies: []", "accuracies: [0.5, 0.75, 1.0]")
                .replace("phase_stop: null", "phase_stop: step budget reached");
        RunState s = RunState.fromYaml(critic);
        CriticPhase phase = new CriticPhase(null, new NoGanTrainer.Phase(NoGanTrainer.Kind.CRITIC, 1), 4);
        phase.load(s.phaseValues);
        Map<String, Object> saved = new LinkedHashMap<>();
        phase.save(saved);
        assertEquals(List.of(0.5, 0.75, 1.0), saved.get("accuracies"));
        assertEquals("step budget reached", saved.get("phase_stop"));
    }

    @Test
    void aFreshPhaseStartsFromNothing() {
        GanPhase gan = new GanPhase(null, new NoGanTrainer.Phase(NoGanTrainer.Kind.GAN, 1), 5);
        Map<String, Object> saved = new LinkedHashMap<>();
        gan.save(saved);
        assertEquals(false, saved.get("generator_turn"));
        assertEquals(0L, saved.get("gan_generator"));
        assertTrue(saved.get("last_critic_loss") == null && saved.get("phase_best") == null, saved.toString());
    }

    /** YAML reads small integers as Integer, the phase holds longs: compare numbers by value. */
    private static Object number(Object o) {
        return o instanceof Number n && !(o instanceof Double) ? (Object) n.longValue() : o;
    }
}
