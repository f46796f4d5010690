package io.github.decrappify.train;

import io.github.decrappify.net.UNetConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a generator training run. Two runs with equal configs and data produce
 * the same weights on the same machine (every random draw derives from {@link #seed()}).
 *
 * @param patchLr          LR patch edge (HR patch = patchLr·scale); multiple of the size multiple
 * @param warmupSteps      linear warm-up length of the one-cycle schedule
 * @param ssimWeight       loss = L1 + ssimWeight·(1 − SSIM)
 * @param validateEvery    steps between validations (0 = only at the end)
 * @param checkpointEvery  steps between checkpoints
 * @param recipe           normalisation and intensity augmentation of the training data
 * @param pixelLoss        the pixel term of the loss (L1 or L2, {@link PixelLoss})
 */
public record TrainConfig(UNetConfig net, int patchLr, int batch, int steps, float maxLr, int warmupSteps,
        float ssimWeight, int validateEvery, int checkpointEvery, long seed, int threads, DataRecipe recipe,
        PixelLoss pixelLoss) {

    /** A run with the L1 pixel loss. */
    public TrainConfig(UNetConfig net, int patchLr, int batch, int steps, float maxLr, int warmupSteps,
            float ssimWeight, int validateEvery, int checkpointEvery, long seed, int threads, DataRecipe recipe) {
        this(net, patchLr, batch, steps, maxLr, warmupSteps, ssimWeight, validateEvery, checkpointEvery, seed, threads,
                recipe, PixelLoss.L1);
    }

    /** A run with the {@link DataRecipe#DEFAULT default} data recipe. */
    public TrainConfig(UNetConfig net, int patchLr, int batch, int steps, float maxLr, int warmupSteps,
            float ssimWeight, int validateEvery, int checkpointEvery, long seed, int threads) {
        this(net, patchLr, batch, steps, maxLr, warmupSteps, ssimWeight, validateEvery, checkpointEvery, seed, threads,
                DataRecipe.DEFAULT);
    }

    public TrainConfig {
        if (patchLr % net.minMultiple() != 0) {
            throw new IllegalArgumentException("patch size (LR) " + patchLr + " must be a multiple of "
                    + net.minMultiple() + " for this network");
        }
        if (batch < 1 || steps < 1) {
            throw new IllegalArgumentException("batch and steps must be positive");
        }
        if (patchLr < net.minMultiple()) {
            throw new IllegalArgumentException("patch size (LR) must be at least " + net.minMultiple() + ", not " + patchLr);
        }
        if (checkpointEvery < 1 || validateEvery < 0 || warmupSteps < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1, validation interval and warm-up >= 0; got "
                    + checkpointEvery + ", " + validateEvery + ", " + warmupSteps);
        }
        if (pixelLoss == null) {
            throw new IllegalArgumentException("a pixel loss is required (PixelLoss.L1)");
        }
        if (recipe == null) {
            throw new IllegalArgumentException("a data recipe is required (DataRecipe.DEFAULT)");
        }
        if (!(maxLr > 0 && maxLr < 1)) {
            throw new IllegalArgumentException("learning rate must be in (0, 1), got " + maxLr);
        }
    }

    public Schedule schedule() {
        return new Schedule(maxLr, warmupSteps, steps);
    }

    /** Flat description for provenance and for checking that a resumed run uses the same settings. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.putAll(net.describe());
        m.put("patch_lr", patchLr);
        m.put("batch", batch);
        m.put("steps", steps);
        m.put("max_lr", (double) maxLr);
        m.put("warmup_steps", warmupSteps);
        m.put("ssim_weight", (double) ssimWeight);
        if (pixelLoss != PixelLoss.L1) {
            // Recorded only when not L1: runs and checkpoints from before the option, which do not name it, used L1.
            m.put("pixel_loss", pixelLoss.key());
        }
        m.put("seed", seed);
        m.putAll(recipe.describe());
        return m;
    }
}
