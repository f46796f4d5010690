package io.github.decrappify.train.nogan;

/**
 * One optimiser step of a NoGAN run.
 *
 * @param phase          e.g. {@code pretrain}, {@code critic-1}, {@code gan-1}
 * @param step           step within the phase (1-based)
 * @param budget         the phase's step budget
 * @param kind           {@link #GENERATOR}, {@link #CRITIC} or {@link #ENCODER}
 * @param loss           the updated network's loss (generator total, critic BCE, encoder reconstruction)
 * @param criticAccuracy accuracy of the critic on this batch before its update (NaN for other kinds)
 * @param learningRate   rate of this step
 * @param seconds        wall time of this step
 */
public record StepEvent(String phase, long step, long budget, String kind, float loss, double criticAccuracy,
        float learningRate, double seconds) {

    public static final String GENERATOR = "generator";
    public static final String CRITIC = "critic";
    public static final String ENCODER = "encoder";
}
