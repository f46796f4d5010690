package io.github.decrappify.train;

import java.util.List;
import java.util.Random;

/**
 * Batches of blind-spot (Noise2Void) training: noisy patches drawn as {@link PatchSampler} draws them
 * (structure-favouring crops, dihedral transforms, intensity jitter) from images that are their own
 * targets, then each input patch masked by the {@link BlindSpotMasker}. The target stays the unmasked
 * noisy patch and {@link Batch#mask()} marks the pixels the loss counts. Everything derives from the
 * {@link Random} passed in, so batches depend only on the step's seed.
 */
public final class BlindSpotBatches {

    private final PatchSampler patches;
    private final BlindSpotMasker masker;
    private final int patch;

    /**
     * @param images noisy planes, each its own target ({@link NoisyImages#read})
     */
    public BlindSpotBatches(List<TrainingPair> images, int patch, DataRecipe recipe, BlindSpotMasker masker) {
        this.patches = new PatchSampler(images, null, 1, patch, 1, recipe);
        this.masker = masker;
        this.patch = patch;
    }

    public Batch sample(int n, Random rng) {
        Batch b = patches.sample(n, rng);
        int area = patch * patch;
        float[] input = new float[b.input().length];
        float[] mask = new float[b.target().length];
        float[] one = new float[area];
        for (int i = 0; i < n; i++) {
            System.arraycopy(b.input(), i * area, one, 0, area);
            BlindSpotMasker.Masked m = masker.apply(one, patch, patch, rng);
            System.arraycopy(m.input(), 0, input, i * area, area);
            System.arraycopy(m.mask(), 0, mask, i * area, area);
        }
        return new Batch(input, b.target(), n, patch, patch, 1, 1, mask);
    }
}
