package io.github.decrappify.train.nogan;

import io.github.decrappify.net.CriticConfig;
import io.github.decrappify.net.UNetConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a NoGAN fine-tuning run (budgets, learning rates, loss weights,
 * thresholds). Build one with {@link #builder(UNetConfig)}; the defaults are documented on the
 * builder's setters and in the README, and {@link Builder#quick()} shrinks every budget so the whole
 * pipeline runs in minutes.
 *
 * <pre>{@code
 * NoGanConfig cfg = NoGanConfig.builder(base.config()).optPretrain(1000, 1e-4f).optCycles(2).build();
 * }</pre>
 */
public record NoGanConfig(UNetConfig net, CriticConfig critic, FeatureNet featureNet, float[] featureLayers,
        int patchLr, int batch, float pixelWeight, float ssimWeight, float featureWeight, float adversarialWeight,
        float reconstructionWeight, int encoderSteps, float encoderLr, int pretrainSteps, float pretrainLr,
        int pretrainWarmup, int pretrainValidateEvery, int criticSteps, float criticLr, double criticAccuracy,
        int ganSteps, float ganLr, float criticLrFactor, float criticThreshold, int ganValidateEvery, int patience,
        double maxPsnrDrop, int cycles, boolean relativistic, boolean selfSupervised, int generateImages,
        int checkpointEvery, long seed, int threads) {

    public NoGanConfig {
        featureLayers = featureLayers.clone();
        require(patchLr % net.minMultiple() == 0, "patch size (LR) " + patchLr + " must be a multiple of " + net.minMultiple());
        require(patchLr * net.scale() % critic.sizeMultiple() == 0, "HR patch " + patchLr * net.scale()
                + " must be a multiple of the critic's " + critic.sizeMultiple() + " (change the patch size)");
        require(batch >= 2, "batch must be at least 2 (the critic compares real and generated batches)");
        require(featureLayers.length <= critic.levels(), "feature layer weights: at most " + critic.levels()
                + " values (one per critic level), got " + featureLayers.length);
        for (float w : new float[] {pixelWeight, ssimWeight, featureWeight, adversarialWeight, reconstructionWeight}) {
            require(w >= 0 && Float.isFinite(w), "loss weights must be finite and >= 0");
        }
        for (float w : featureLayers) {
            require(w >= 0 && Float.isFinite(w), "feature layer weights must be finite and >= 0");
        }
        require(encoderSteps >= 0 && pretrainSteps >= 0 && criticSteps >= 1 && ganSteps >= 1, "phase budgets must be"
                + " >= 0 (encoder, pretraining) and >= 1 (critic, GAN)");
        for (float lr : new float[] {encoderLr, pretrainLr, criticLr, ganLr}) {
            require(lr > 0 && lr < 1, "learning rates must be in (0, 1), got " + lr);
        }
        require(criticLrFactor > 0, "critic learning-rate factor must be > 0");
        require(criticAccuracy > 0.5 && criticAccuracy <= 1, "critic target accuracy must be in (0.5, 1]");
        require(criticThreshold > 0, "critic loss threshold must be > 0 (chance level is 0.693)");
        require(ganValidateEvery >= 1 && patience >= 1, "GAN validation interval and patience must be >= 1");
        require(maxPsnrDrop >= 0, "maximum PSNR drop must be >= 0 dB");
        require(cycles >= 1, "cycles must be >= 1");
        require(generateImages >= 1, "generated images must be >= 1");
        require(checkpointEvery >= 1, "checkpoint interval must be >= 1");
        require(!selfSupervised || critic.decoder(), "the self-supervised critic needs the decoder head");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public float[] featureLayers() {
        return featureLayers.clone();
    }

    /** Edge of the HR training patches. */
    public int patchHr() {
        return patchLr * net.scale();
    }

    /** The denoising autoencoder used when {@link #featureNet()} is {@link FeatureNet#ENCODER}: critic blocks, no spectral norm. */
    public CriticConfig encoder() {
        return new CriticConfig(critic.width(), critic.levels(), false, false, true, critic.slope());
    }

    /** Flat description for provenance, and to refuse resuming with other settings. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        // The generator keys as 'train' records them, so that a fine-tuned bundle can be fine-tuned again.
        m.putAll(net.describe());
        m.put("critic_width", critic.width());
        m.put("critic_levels", critic.levels());
        m.put("critic_spectral_norm", critic.spectralNorm());
        m.put("critic_attention", critic.attention());
        m.put("feature_net", featureNet.cliName());
        m.put("feature_layers", Arrays.toString(featureLayers));
        m.put("patch_lr", patchLr);
        m.put("batch", batch);
        m.put("pixel_weight", (double) pixelWeight);
        m.put("ssim_weight", (double) ssimWeight);
        m.put("feature_weight", (double) featureWeight);
        m.put("adversarial_weight", (double) adversarialWeight);
        m.put("reconstruction_weight", (double) reconstructionWeight);
        m.put("encoder_steps", encoderSteps);
        m.put("encoder_lr", (double) encoderLr);
        m.put("pretrain_steps", pretrainSteps);
        m.put("pretrain_lr", (double) pretrainLr);
        m.put("pretrain_warmup", pretrainWarmup);
        m.put("pretrain_validate_every", pretrainValidateEvery);
        m.put("critic_steps", criticSteps);
        m.put("critic_lr", (double) criticLr);
        m.put("critic_accuracy", criticAccuracy);
        m.put("gan_steps", ganSteps);
        m.put("gan_lr", (double) ganLr);
        m.put("critic_lr_factor", (double) criticLrFactor);
        m.put("critic_threshold", (double) criticThreshold);
        m.put("gan_validate_every", ganValidateEvery);
        m.put("patience", patience);
        m.put("max_psnr_drop", maxPsnrDrop);
        m.put("cycles", cycles);
        m.put("relativistic", relativistic);
        m.put("self_supervised", selfSupervised);
        m.put("generate_images", generateImages);
        m.put("seed", seed);
        return m;
    }

    /**
     * Default settings (compile-time constants, so that the CLI's {@code --help} shows the same values).
     * DeOldify's choices are the starting point: critic loss threshold 0.65, critic learning rate ×5 in
     * the GAN phase, Adam β1 = 0 while adversarial; the adversarial weight is scaled down from DeOldify's
     * 1 : 1.5 adversarial : feature because fine-tuning a restoration model must not trade much fidelity.
     */
    public static final class Defaults {
        public static final int CRITIC_WIDTH = 16;
        public static final int CRITIC_LEVELS = 4;
        public static final int PATCH = 64;
        public static final int BATCH = 8;
        public static final float PIXEL_WEIGHT = 1f;
        public static final float SSIM_WEIGHT = 0.1f;
        public static final float FEATURE_WEIGHT = 0.5f;
        public static final float ADVERSARIAL_WEIGHT = 0.02f;
        public static final float RECONSTRUCTION_WEIGHT = 1f;
        public static final int ENCODER_STEPS = 300;
        public static final float ENCODER_LR = 2e-4f;
        public static final int PRETRAIN_STEPS = 800;
        public static final float PRETRAIN_LR = 5e-5f;
        public static final int PRETRAIN_VALIDATE_EVERY = 200;
        public static final int CRITIC_STEPS = 300;
        public static final float CRITIC_LR = 2e-4f;
        public static final double CRITIC_ACCURACY = 0.8;
        public static final int GAN_STEPS = 300;
        public static final float GAN_LR = 1e-5f;
        public static final float CRITIC_LR_FACTOR = 5f;
        public static final float CRITIC_THRESHOLD = 0.65f;
        public static final int GAN_VALIDATE_EVERY = 20;
        public static final int PATIENCE = 3;
        public static final double MAX_PSNR_DROP = 0.3;
        public static final int CYCLES = 2;
        public static final int GENERATE_IMAGES = 64;
        public static final int CHECKPOINT_EVERY = 100;
        public static final long SEED = 42;

        private Defaults() {}
    }

    public static Builder builder(UNetConfig net) {
        return new Builder(net);
    }

    /** Defaults in one place; each setter documents its default. */
    public static final class Builder {
        private final UNetConfig net;
        private int criticWidth = Defaults.CRITIC_WIDTH;
        private int criticLevels = Defaults.CRITIC_LEVELS;
        private boolean spectralNorm = true;
        private boolean attention = true;
        private FeatureNet featureNet = FeatureNet.CRITIC;
        private float[] featureLayers;
        private int patchLr = Defaults.PATCH;
        private int batch = Defaults.BATCH;
        private float pixelWeight = Defaults.PIXEL_WEIGHT;
        private float ssimWeight = Defaults.SSIM_WEIGHT;
        private float featureWeight = Defaults.FEATURE_WEIGHT;
        private float adversarialWeight = Defaults.ADVERSARIAL_WEIGHT;
        private float reconstructionWeight = Defaults.RECONSTRUCTION_WEIGHT;
        private int encoderSteps = Defaults.ENCODER_STEPS;
        private float encoderLr = Defaults.ENCODER_LR;
        private int pretrainSteps = Defaults.PRETRAIN_STEPS;
        private float pretrainLr = Defaults.PRETRAIN_LR;
        private int pretrainWarmup = -1;
        private int pretrainValidateEvery = Defaults.PRETRAIN_VALIDATE_EVERY;
        private int criticSteps = Defaults.CRITIC_STEPS;
        private float criticLr = Defaults.CRITIC_LR;
        private double criticAccuracy = Defaults.CRITIC_ACCURACY;
        private int ganSteps = Defaults.GAN_STEPS;
        private float ganLr = Defaults.GAN_LR;
        private float criticLrFactor = Defaults.CRITIC_LR_FACTOR;
        private float criticThreshold = Defaults.CRITIC_THRESHOLD;
        private int ganValidateEvery = Defaults.GAN_VALIDATE_EVERY;
        private int patience = Defaults.PATIENCE;
        private double maxPsnrDrop = Defaults.MAX_PSNR_DROP;
        private int cycles = Defaults.CYCLES;
        private boolean relativistic;
        private boolean selfSupervised;
        private int generateImages = Defaults.GENERATE_IMAGES;
        private int checkpointEvery = Defaults.CHECKPOINT_EVERY;
        private long seed = Defaults.SEED;
        private int threads;

        private Builder(UNetConfig net) {
            this.net = net;
        }

        /** Critic base width (16), levels (4), spectral norm (on), self-attention (on). */
        public Builder optCritic(int width, int levels, boolean sn, boolean selfAttention) {
            criticWidth = width;
            criticLevels = levels;
            spectralNorm = sn;
            attention = selfAttention;
            return this;
        }

        /** Feature network (critic) and its per-level weights (default 1 for every critic level). */
        public Builder optFeatures(FeatureNet net, float[] layerWeights) {
            featureNet = net;
            if (layerWeights != null) {
                featureLayers = layerWeights.clone();
            }
            return this;
        }

        /** LR patch edge (64; HR = 64·scale) and batch size (8). */
        public Builder optPatch(int lrEdge, int batchSize) {
            patchLr = lrEdge;
            batch = batchSize;
            return this;
        }

        /**
         * Generator loss = pixel·(L1 + ssim·(1−SSIM)) + feature·features + adversarial·GAN (GAN phase only).
         * Defaults 1, 0.1, 0.5, 0.02: DeOldify's adversarial:feature 1:1.5–2 scaled down so that the GAN
         * phase sharpens without costing more than a few tenths of a dB (README › Fine-tuning).
         */
        public Builder optLossWeights(float pixel, float ssim, float feature, float adversarial) {
            pixelWeight = pixel;
            ssimWeight = ssim;
            featureWeight = feature;
            adversarialWeight = adversarial;
            return this;
        }

        /** Encoder pretraining for the ENCODER feature net: steps (300), learning rate (2e-4). */
        public Builder optEncoder(int steps, float lr) {
            encoderSteps = steps;
            encoderLr = lr;
            return this;
        }

        /** Generator pretraining: steps (800), peak learning rate (5e-5; fine-tuning a trained model). */
        public Builder optPretrain(int steps, float lr) {
            pretrainSteps = steps;
            pretrainLr = lr;
            return this;
        }

        /** Warm-up steps of the pretraining one-cycle schedule (default a tenth of the steps). */
        public Builder optWarmup(int steps) {
            pretrainWarmup = steps;
            return this;
        }

        /** Steps between validations while pretraining (200). */
        public Builder optPretrainValidateEvery(int steps) {
            pretrainValidateEvery = steps;
            return this;
        }

        /** Critic pretraining: step budget (300), learning rate (2e-4), target accuracy (0.8). */
        public Builder optCriticPretrain(int steps, float lr, double targetAccuracy) {
            criticSteps = steps;
            criticLr = lr;
            criticAccuracy = targetAccuracy;
            return this;
        }

        /**
         * GAN phase: budget in batches, critic and generator steps together (300); generator learning
         * rate (1e-5); critic rate = factor × that (5, as DeOldify); critic loss threshold (0.65).
         */
        public Builder optGan(int steps, float lr, float criticFactor, float threshold) {
            ganSteps = steps;
            ganLr = lr;
            criticLrFactor = criticFactor;
            criticThreshold = threshold;
            return this;
        }

        /**
         * Inflection-point detection: validate every {@code every} generator steps (20); stop after
         * {@code patience} validations without a better generator (3) or when PSNR falls more than
         * {@code maxDrop} dB below the pre-GAN generator (0.3).
         */
        public Builder optInflection(int every, int patienceCount, double maxDrop) {
            ganValidateEvery = every;
            patience = patienceCount;
            maxPsnrDrop = maxDrop;
            return this;
        }

        /** Critic pretraining + GAN cycles (2), repeated while validation improves. */
        public Builder optCycles(int n) {
            cycles = n;
            return this;
        }

        /** Relativistic average critic and adversarial loss (off). */
        public Builder optRelativistic(boolean on) {
            relativistic = on;
            return this;
        }

        /** FastGAN-style self-supervised decoder on the critic (off) and its loss weight (1). */
        public Builder optSelfSupervised(boolean on, float weight) {
            selfSupervised = on;
            reconstructionWeight = weight;
            return this;
        }

        /** At most this many generated crops (≤ 256² LR each) are saved per cycle for critic pretraining (64). */
        public Builder optGenerateImages(int n) {
            generateImages = n;
            return this;
        }

        public Builder optCheckpointEvery(int steps) {
            checkpointEvery = steps;
            return this;
        }

        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /** Intra-op threads (0 = all cores). */
        public Builder optThreads(int n) {
            threads = n;
            return this;
        }

        /**
         * The smallest budgets that still run every phase: 20 encoder, 30 pretraining, 20 critic and
         * 24 GAN steps, one cycle, 8 generated crops; minutes on a laptop CPU.
         */
        public Builder quick() {
            encoderSteps = Math.min(encoderSteps, 20);
            pretrainSteps = Math.min(pretrainSteps, 30);
            pretrainValidateEvery = Math.min(pretrainValidateEvery, 15);
            criticSteps = Math.min(criticSteps, 20);
            ganSteps = Math.min(ganSteps, 24);
            ganValidateEvery = Math.min(ganValidateEvery, 4);
            patience = Math.min(patience, 2);
            cycles = 1;
            generateImages = Math.min(generateImages, 8);
            checkpointEvery = Math.min(checkpointEvery, 10);
            return this;
        }

        public NoGanConfig build() {
            CriticConfig critic = new CriticConfig(criticWidth, criticLevels, spectralNorm, attention, selfSupervised);
            int warmup = pretrainWarmup >= 0 ? pretrainWarmup : pretrainSteps / 10;
            float[] layers = featureLayers;
            if (layers == null) {
                layers = new float[criticLevels];
                java.util.Arrays.fill(layers, 1f);
            }
            return new NoGanConfig(net, critic, featureNet, layers, patchLr, batch, pixelWeight, ssimWeight,
                    featureWeight, adversarialWeight, reconstructionWeight, encoderSteps, encoderLr, pretrainSteps,
                    pretrainLr, warmup, pretrainValidateEvery, criticSteps, criticLr, criticAccuracy, ganSteps, ganLr,
                    criticLrFactor, criticThreshold, ganValidateEvery, patience, maxPsnrDrop, cycles, relativistic,
                    selfSupervised, generateImages, checkpointEvery, seed, threads);
        }
    }
}
