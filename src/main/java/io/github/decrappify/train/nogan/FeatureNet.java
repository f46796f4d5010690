package io.github.decrappify.train.nogan;

import java.util.Locale;

/**
 * Which network supplies the feature (perceptual) loss. ImageNet VGG is neither available offline nor
 * a good description of EM, so the features come from networks trained on the user's microscopy.
 */
public enum FeatureNet {
    /** The critic, pretrained as a classifier of real HR vs the base model's output before generator pretraining. */
    CRITIC,
    /** An encoder trained as a denoising autoencoder on the HR patches. */
    ENCODER,
    /** Pixel losses only. */
    NONE;

    public static FeatureNet parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("feature network must be critic, encoder or none, not '" + s + "'");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
