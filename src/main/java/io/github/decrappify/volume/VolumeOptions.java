package io.github.decrappify.volume;

import java.io.Serializable;

/**
 * Output chunking and block size of a block-wise restoration.
 *
 * @param chunkXy output chunk width and height in output pixels; a multiple of the model's scale, so
 *        every chunk comes from a whole number of input pixels. 0 = {@link #DEFAULT_CHUNK_LR} input pixels × scale
 * @param chunkZ output chunk depth in planes (a block holds this many output planes in memory)
 * @param blockTiles tiles per block along X and Y (a block's output memory grows with its square)
 * @param compressionLevel zlib level of the output chunks, 0–9
 */
public record VolumeOptions(int chunkXy, int chunkZ, int blockTiles, int compressionLevel) implements Serializable {

    /** Default output chunk edge in input (LR) pixels: 128 → 512² output pixels at ×4 (1 MB of float). */
    public static final int DEFAULT_CHUNK_LR = 128;

    public VolumeOptions {
        if (chunkXy < 0 || chunkZ < 1 || blockTiles < 1 || compressionLevel < 0 || compressionLevel > 9) {
            throw new IllegalArgumentException("need chunk >= 0, chunk depth >= 1, block tiles >= 1, compression 0-9; got "
                    + chunkXy + ", " + chunkZ + ", " + blockTiles + ", " + compressionLevel);
        }
    }

    public static VolumeOptions defaults() {
        return new VolumeOptions(0, 1, 1, 1);
    }

    /**
     * The chunk edge for a model of {@code scale}.
     *
     * @throws IllegalArgumentException if a chosen chunk is not a multiple of the scale
     */
    public int chunkFor(int scale) {
        if (chunkXy == 0) {
            return DEFAULT_CHUNK_LR * scale;
        }
        if (chunkXy % scale != 0) {
            throw new IllegalArgumentException("--chunk " + chunkXy + " is not a multiple of the model's scale " + scale
                    + "; use e.g. " + Math.max(scale, chunkXy / scale * scale));
        }
        return chunkXy;
    }
}
