package io.github.decrappify.net;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Size and options of the generator. {@link #unetS(int, int)} is the reference "unet-s" of
 * design.md, kept exactly as documented so that benchmarks compare like with like.
 *
 * @param scale           upsampling factor (1 = denoising)
 * @param inputChannels   adjacent planes fed as channels (multi-frame models); the centre one is the
 *                        global residual
 * @param widths          encoder widths per level, finest first; the last is the bottleneck
 * @param attention       windowed self-attention at the bottleneck
 * @param window          attention window (bottleneck pixels)
 * @param attentionKeys   query/key channels
 * @param headBlur        2×2 box blur after the head. It removes pixel-shuffle checkerboards when
 *                        upsampling, but at scale 1 (no pixel shuffle) it only blocks the finest
 *                        frequencies of the residual, exactly where pixel noise lives, so a ×1 model
 *                        cannot remove it; bundles trained before this option had it at every scale.
 * @param residualHighpass σ (output pixels) of a Gaussian whose low-pass is taken out of the learned
 *                        residual, 0 = off: the output's coarse intensities are then exactly the
 *                        bicubic input's, so the network can only add detail, never haze or a glow
 *                        around bright objects (measured on a real confocal pair, where the fine-tuned
 *                        model's error below 0.03 cycles/px was twice the bicubic's)
 */
public record UNetConfig(int scale, int inputChannels, int[] widths, boolean attention, int window, int attentionKeys,
        boolean headBlur, double residualHighpass) {

    /** Largest {@link #residualHighpass}: its kernel (±3σ) must fit inside the smallest tile. */
    public static final double MAX_RESIDUAL_HIGHPASS = 16;

    public UNetConfig {
        if (scale < 1 || scale > 8) {
            throw new IllegalArgumentException("scale must be 1..8, got " + scale);
        }
        if (inputChannels < 1 || inputChannels % 2 == 0) {
            throw new IllegalArgumentException("input channels must be odd (centre plane + neighbours), got " + inputChannels);
        }
        if (widths.length < 2) {
            throw new IllegalArgumentException("need at least two levels");
        }
        String problem = residualHighpassProblem(residualHighpass);
        if (problem != null) {
            throw new IllegalArgumentException("residual high-pass sigma " + problem);
        }
        widths = widths.clone();
    }

    /** What is wrong with a {@link #residualHighpass} value ({@code "must be ..., got x"}), or null when it is valid. */
    public static String residualHighpassProblem(double sigma) {
        return sigma == 0 || sigma >= 0.5 && sigma <= MAX_RESIDUAL_HIGHPASS ? null
                : "must be 0 (off) or 0.5.." + MAX_RESIDUAL_HIGHPASS + " output pixels, got " + sigma;
    }

    /** No residual high-pass. */
    public UNetConfig(int scale, int inputChannels, int[] widths, boolean attention, int window, int attentionKeys,
            boolean headBlur) {
        this(scale, inputChannels, widths, attention, window, attentionKeys, headBlur, 0);
    }

    /** This network with the residual's low-pass below {@code sigma} output pixels removed (0 = off). */
    public UNetConfig withResidualHighpass(double sigma) {
        return new UNetConfig(scale, inputChannels, widths, attention, window, attentionKeys, headBlur, sigma);
    }

    /** This network with other encoder widths (finest first). */
    public UNetConfig withWidths(int[] w) {
        return new UNetConfig(scale, inputChannels, w, attention, window, attentionKeys, headBlur, residualHighpass);
    }

    /** The current default head: the blur only where the head upsamples. */
    public UNetConfig(int scale, int inputChannels, int[] widths, boolean attention, int window, int attentionKeys) {
        this(scale, inputChannels, widths, attention, window, attentionKeys, scale > 1);
    }

    public static UNetConfig unetS(int scale, int inputChannels) {
        return new UNetConfig(scale, inputChannels, new int[] {32, 64, 128, 256}, true, 8, 32);
    }

    /**
     * Grid on which tiles must start for tiled output to equal whole-image output: 2^(levels-1)
     * downsamplings times the attention window (64 for unet-s). Inputs that are multiples of
     * {@link #minMultiple()} but not of this still run (the bottleneck is padded to whole windows),
     * but restore pads images to this grid.
     */
    public int sizeMultiple() {
        int down = 1 << (widths.length - 1);
        return attention ? down * window : down;
    }

    /** Input height/width must be multiples of this: one pixel at the bottleneck. */
    public int minMultiple() {
        return 1 << (widths.length - 1);
    }

    /**
     * The generator's keys in a training description (TrainConfig, NoGanConfig, checkpoints, rdf.yaml
     * › config), in the order both record them; BaseModel reads them back.
     */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", "unet-s");
        m.put("widths", Arrays.toString(widths));
        m.put("attention", attention);
        if (!headBlur) {
            // Recorded only when off: older bundles and checkpoints, which do not name it, had the blur.
            m.put("head_blur", false);
        }
        if (residualHighpass > 0) {
            m.put("residual_highpass_sigma", residualHighpass); // recorded only when on, as head_blur
        }
        m.put("scale", scale);
        m.put("input_channels", inputChannels);
        return m;
    }

    public int levels() {
        return widths.length;
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UNetConfig c && c.scale == scale && c.inputChannels == inputChannels
                && Arrays.equals(c.widths, widths) && c.attention == attention && c.window == window
                && c.attentionKeys == attentionKeys && c.headBlur == headBlur
                && Double.compare(c.residualHighpass, residualHighpass) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + scale;
    }
}
