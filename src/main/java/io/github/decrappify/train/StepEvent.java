package io.github.decrappify.train;

import java.util.Map;

/**
 * One optimiser step, as {@link TrainLoop} reports it to {@link TrainingListener#onStep}.
 *
 * @param phase          the phase's label: {@code train} for supervised training; {@code pretrain},
 *                       {@code critic-1}, {@code gan-1} ... in NoGAN
 * @param step           step within the phase (1-based)
 * @param budget         the phase's step budget
 * @param kind           which network the step updated: {@link #GENERATOR}, {@link #CRITIC}, {@link #ENCODER}
 * @param loss           the updated network's loss (generator total, critic BCE, encoder reconstruction)
 * @param learningRate   rate of this step
 * @param values         further named values of the step (e.g. {@link #L1}, {@link #CRITIC_ACCURACY}); absent
 *                       names read as NaN through {@link #value}
 * @param seconds        wall time of the step (the update, not drawing its batch)
 * @param stepsPerSecond steps of this phase per second since the loop (or the resumed run) began
 */
public record StepEvent(String phase, long step, long budget, String kind, float loss, float learningRate,
        Map<String, Double> values, double seconds, double stepsPerSecond) {

    public static final String GENERATOR = "generator";
    public static final String CRITIC = "critic";
    public static final String ENCODER = "encoder";

    /** Names of {@link #values}: pixel and perceptual parts of a generator loss. */
    public static final String L1 = "l1";
    public static final String SSIM = "ssim";
    public static final String FEATURE = "feature";
    public static final String ADVERSARIAL = "adversarial";
    /** The critic's loss that allowed a GAN generator update. */
    public static final String CRITIC_LOSS = "critic_loss";
    /** Accuracy of the critic on the batch before its update. */
    public static final String CRITIC_ACCURACY = "critic_accuracy";
    /** The self-supervised critic decoder's reconstruction loss. */
    public static final String RECONSTRUCTION = "reconstruction";

    public StepEvent {
        values = Map.copyOf(values);
    }

    /** The named value, NaN when the step did not report it. */
    public double value(String name) {
        Double v = values.get(name);
        return v == null ? Double.NaN : v;
    }

    /** {@link #CRITIC_ACCURACY}, NaN for steps that did not update a critic. */
    public double criticAccuracy() {
        return value(CRITIC_ACCURACY);
    }
}
