package io.github.decrappify.train;

import java.util.Random;

/**
 * Noise2Void blind-spot masking (Krull et al., CVPR 2019) of single-channel patches: a few pixels of
 * a noisy patch are replaced by a random neighbour's value, and the loss is computed only on them, so
 * the network must predict each such pixel from its surroundings and cannot learn the identity. With
 * noise independent from pixel to pixel, that prediction converges to the clean signal.
 *
 * <ul>
 * <li><b>Where</b> (stratified, as N2V): the patch is cut into cells of {@code g×g} pixels,
 * {@code g = ⌈1/√fraction⌉} (the cells at the right and bottom edges may be narrower), and exactly one
 * pixel per cell, uniform within it, is masked. So {@code ⌈w/g⌉·⌈h/g⌉} pixels are masked, at most the
 * requested fraction when {@code g} divides the patch, and masked pixels are spread over the patch.</li>
 * <li><b>With what</b>: each masked pixel takes the <em>original</em> value of a pixel at offset
 * {@code (dx, dy) ≠ (0, 0)}, {@code |dx|, |dy| ≤ radius}, inside the patch (draws outside the patch or
 * on the pixel itself are redrawn). Replacements read the original patch, never an already replaced
 * pixel, so the result does not depend on the order of the cells.</li>
 * <li><b>Mask</b>: 1 exactly at the masked pixels, 0 elsewhere; unmasked pixels of the input equal the
 * patch.</li>
 * <li>Everything derives from the {@link Random} passed in: same state, same result.</li>
 * </ul>
 *
 * <pre>{@code
 * BlindSpotMasker masker = new BlindSpotMasker(0.016, 2); // one pixel per 8×8 cell, 5×5 neighbourhood
 * BlindSpotMasker.Masked m = masker.apply(patch, 64, 64, rng); // train on m.input(), loss where m.mask() == 1
 * }</pre>
 */
public final class BlindSpotMasker {

    /** N2V's neighbourhood: a 5×5 window around the masked pixel. */
    public static final int DEFAULT_RADIUS = 2;

    private final double fraction;
    private final int cell;
    private final int radius;

    /** A masked copy of a patch and its loss mask (row-major, like the patch). */
    public record Masked(float[] input, float[] mask, int count) {}

    /**
     * @param fraction wanted fraction of masked pixels, in (0, 0.25]: one per {@code ⌈1/√fraction⌉²} pixels
     * @param radius   replacements come from the {@code (2·radius+1)²} window around each masked pixel, ≥ 1
     */
    public BlindSpotMasker(double fraction, int radius) {
        if (!(fraction > 0 && fraction <= 0.25)) {
            throw new IllegalArgumentException("the masked fraction must be in (0, 0.25], got " + fraction);
        }
        if (radius < 1) {
            throw new IllegalArgumentException("the neighbourhood radius must be at least 1, got " + radius);
        }
        this.fraction = fraction;
        this.cell = (int) Math.ceil(1 / Math.sqrt(fraction) - 1e-9);
        this.radius = radius;
    }

    /** Edge of the cells that each hold one masked pixel. */
    public int cell() {
        return cell;
    }

    public int radius() {
        return radius;
    }

    public double fraction() {
        return fraction;
    }

    /** Settings for checkpoints (a resume must keep them) and the bundle's training record. */
    public java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("loss", "blind-spot masked L1 (Noise2Void)");
        m.put("mask_fraction", fraction);
        m.put("mask_cell", cell);
        m.put("mask_radius", radius);
        return m;
    }

    /** Number of pixels {@link #apply} masks in a {@code width×height} patch. */
    public int count(int width, int height) {
        return ceilDiv(width, cell) * ceilDiv(height, cell);
    }

    /**
     * Masks one patch.
     *
     * @param patch row-major {@code width×height} values; not modified
     */
    public Masked apply(float[] patch, int width, int height, Random rng) {
        if (width < 1 || height < 1 || width * height < 2 || patch.length != width * height) {
            throw new IllegalArgumentException("need a patch of at least 2 pixels with width·height values, got "
                    + width + "x" + height + " and " + patch.length + " values");
        }
        float[] input = patch.clone();
        float[] mask = new float[patch.length];
        int n = 0;
        for (int cy = 0; cy < height; cy += cell) {
            for (int cx = 0; cx < width; cx += cell) {
                int x = cx + rng.nextInt(Math.min(cell, width - cx));
                int y = cy + rng.nextInt(Math.min(cell, height - cy));
                int sx;
                int sy;
                do {
                    sx = x + rng.nextInt(2 * radius + 1) - radius;
                    sy = y + rng.nextInt(2 * radius + 1) - radius;
                } while (sx == x && sy == y || sx < 0 || sy < 0 || sx >= width || sy >= height);
                input[y * width + x] = patch[sy * width + sx];
                mask[y * width + x] = 1;
                n++;
            }
        }
        return new Masked(input, mask, n);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
