package io.github.decrappify.crappify;

/** How the crappifier reduces HR to LR pixels. */
public enum DownsampleMode {
    /** Mean over each scale x scale block: a detector with bigger pixels integrating the light. */
    AREA,
    /** Bilinear interpolation without antialiasing (PSSR's {@code npzoom(order=1)}): aliases fine detail. */
    BILINEAR,
    /** Nearest neighbour: point sampling, the strongest aliasing. */
    NEAREST
}
