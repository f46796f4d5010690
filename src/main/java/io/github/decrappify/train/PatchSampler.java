package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;
import java.util.List;
import java.util.Random;

/**
 * Draws training batches: random crops (favouring structure over empty background), a random
 * dihedral transform, brightness/contrast jitter, then the LR input from the {@link Degrader} or the
 * registered real LR crop. Everything derives from the {@link Random} passed in.
 */
public final class PatchSampler {

    /** Patches whose HR standard deviation is below this (normalised units) count as background. */
    static final double BACKGROUND_STD = 0.03;
    private static final int TRIES = 8;

    private final List<TrainingPair> data;
    private final Degrader degrader;
    private final int scale;
    private final int patchLr;
    private final int channels;
    private final long[] cumulativeArea;
    private final DataRecipe recipe;

    public PatchSampler(List<TrainingPair> data, Degrader degrader, int scale, int patchLr, int channels) {
        this(data, degrader, scale, patchLr, channels, DataRecipe.DEFAULT);
    }

    /** @param recipe its gain and offset ranges set the intensity jitter */
    public PatchSampler(List<TrainingPair> data, Degrader degrader, int scale, int patchLr, int channels,
            DataRecipe recipe) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
        this.data = data;
        this.degrader = degrader;
        this.scale = scale;
        this.patchLr = patchLr;
        this.channels = channels;
        this.recipe = recipe;
        cumulativeArea = new long[data.size()];
        long sum = 0;
        for (int i = 0; i < data.size(); i++) {
            TrainingPair p = data.get(i);
            if (p.hr().width() < patchLr * scale || p.hr().height() < patchLr * scale) {
                throw new IllegalArgumentException("training image " + p.name() + " (" + p.hr().width() + "x"
                        + p.hr().height() + ") is smaller than the HR patch size " + patchLr * scale);
            }
            sum += (long) p.hr().width() * p.hr().height();
            cumulativeArea[i] = sum;
        }
        if (degrader == null && data.stream().anyMatch(p -> !p.paired())) {
            throw new IllegalArgumentException("unpaired HR images need a crappifier preset");
        }
    }

    public Batch sample(int n, Random rng) {
        int hrSize = patchLr * scale;
        float[] in = new float[n * patchLr * patchLr * channels];
        float[] target = new float[n * hrSize * hrSize];
        for (int b = 0; b < n; b++) {
            FloatPlane[] pair = crop(rng);
            int k = rng.nextInt(8);
            FloatPlane hr = Augment.dihedral(pair[0], k);
            float gain = Augment.uniform(rng, (float) recipe.gain().min(), (float) recipe.gain().max());
            float offset = Augment.uniform(rng, (float) -recipe.offset(), (float) recipe.offset());
            Augment.intensity(hr, gain, offset);
            FloatPlane lr;
            if (pair[1] != null) {
                lr = Augment.dihedral(pair[1], k);
                Augment.intensity(lr, gain, offset);
            } else {
                lr = degrader.degrade(hr, rng);
            }
            FloatPlane centre = hr.channels() == 1 ? hr : hr.channel(hr.channels() / 2);
            System.arraycopy(centre.data(), 0, target, b * hrSize * hrSize, hrSize * hrSize);
            System.arraycopy(lr.data(), 0, in, b * patchLr * patchLr * channels, patchLr * patchLr * channels);
        }
        return new Batch(in, target, n, patchLr, patchLr, channels, scale);
    }

    /** HR crop (and matching LR crop for real pairs); retries crops that are almost empty background. */
    private FloatPlane[] crop(Random rng) {
        FloatPlane[] best = null;
        double bestStd = -1;
        for (int t = 0; t < TRIES; t++) {
            TrainingPair p = pick(rng);
            int maxX = p.hr().width() / scale - patchLr;
            int maxY = p.hr().height() / scale - patchLr;
            int x = rng.nextInt(maxX + 1);
            int y = rng.nextInt(maxY + 1);
            FloatPlane hr = Crops.crop(p.hr(), x * scale, y * scale, patchLr * scale, patchLr * scale);
            double std = Crops.std(hr);
            if (std > bestStd) {
                bestStd = std;
                best = new FloatPlane[] {hr, p.paired() ? Crops.crop(p.lr(), x, y, patchLr, patchLr) : null};
            }
            if (std >= BACKGROUND_STD) {
                break;
            }
        }
        return best;
    }

    private TrainingPair pick(Random rng) {
        long r = (long) (rng.nextDouble() * cumulativeArea[cumulativeArea.length - 1]);
        for (int i = 0; i < cumulativeArea.length; i++) {
            if (r < cumulativeArea[i]) {
                return data.get(i);
            }
        }
        return data.get(data.size() - 1);
    }
}
