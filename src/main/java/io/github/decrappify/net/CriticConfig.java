package io.github.decrappify.net;

/**
 * Size and options of the patch critic ({@link Critic}) and of the feature encoder built from the same
 * blocks. Widths double at each level from {@code width}; the critic's logits sit at
 * {@code 1/2^levels} of the input resolution (one real/fake decision per patch).
 *
 * @param width         channels of the first level
 * @param levels        stride-2 levels (2–6); inputs must be multiples of {@code 2^levels}
 * @param spectralNorm  spectral normalisation of every convolution (Miyato et al. 2018)
 * @param attention     global self-attention at the deepest level (SAGAN), learned scale starting at 0
 * @param decoder       FastGAN-style self-supervised head: reconstructs the input at half resolution
 *                      from the deepest features (Liu et al. 2021)
 * @param slope         negative slope of the leaky ReLUs (0.2 as in DCGAN/SAGAN critics)
 */
public record CriticConfig(int width, int levels, boolean spectralNorm, boolean attention, boolean decoder, float slope) {

    public static final float SLOPE = 0.2f;

    public CriticConfig(int width, int levels, boolean spectralNorm, boolean attention, boolean decoder) {
        this(width, levels, spectralNorm, attention, decoder, SLOPE);
    }

    public CriticConfig {
        if (width < 1 || width > 512) {
            throw new IllegalArgumentException("critic width must be 1..512, got " + width);
        }
        if (levels < 2 || levels > 6) {
            throw new IllegalArgumentException("critic levels must be 2..6, got " + levels);
        }
        if (!(slope >= 0 && slope <= 1)) {
            throw new IllegalArgumentException("leaky ReLU slope must be in [0, 1], got " + slope);
        }
    }

    /** The default critic: width 16, 4 levels, spectral norm and self-attention, no decoder. */
    public static CriticConfig standard() {
        return new CriticConfig(16, 4, true, true, false);
    }

    /** Inputs (HR patches) must be multiples of this. */
    public int sizeMultiple() {
        return 1 << levels;
    }

    /** Channels at level {@code l} (0-based). */
    public int widthAt(int l) {
        return width << l;
    }

    public CriticConfig withDecoder(boolean on) {
        return new CriticConfig(width, levels, spectralNorm, attention, on, slope);
    }
}
