package io.github.decrappify.volume;

import io.github.decrappify.image.zarr.ZarrCompressor;
import java.io.Serializable;

/**
 * Output chunking and block size of a block-wise restoration.
 *
 * @param chunkXy output chunk width and height in output pixels; a multiple of the model's scale, so
 *        every chunk comes from a whole number of input pixels. 0 = {@link #DEFAULT_CHUNK_LR} input pixels × scale
 * @param chunkZ output chunk depth in planes (a block holds this many output planes in memory)
 * @param blockTiles tiles per block along X and Y (a block's output memory grows with its square)
 * @param compressionLevel zlib level of the output chunks, 0–9 (0 = uncompressed), or {@link #AUTO_COMPRESSION}:
 *        uncompressed float output (zlib costs about 2.7 s per 4096² float plane, 65 % of the restore
 *        time of that plane on 2 cores, and saves about 10 % on restored microscopy), zlib level 1 for
 *        8/16-bit output (cheap and worth it there)
 */
public record VolumeOptions(int chunkXy, int chunkZ, int blockTiles, int compressionLevel) implements Serializable {

    /** Default output chunk edge in input (LR) pixels: 128 → 512² output pixels at ×4 (1 MB of float). */
    public static final int DEFAULT_CHUNK_LR = 128;

    /** Compression chosen from the output type: see the record's description. */
    public static final int AUTO_COMPRESSION = -1;

    public VolumeOptions {
        if (chunkXy < 0 || chunkZ < 1 || blockTiles < 1 || compressionLevel < AUTO_COMPRESSION || compressionLevel > 9) {
            throw new IllegalArgumentException("need chunk >= 0, chunk depth >= 1, block tiles >= 1, compression 0-9 (or -1: by output type); got "
                    + chunkXy + ", " + chunkZ + ", " + blockTiles + ", " + compressionLevel);
        }
    }

    public static VolumeOptions defaults() {
        return new VolumeOptions(0, 1, 1, AUTO_COMPRESSION);
    }

    /** The output chunks' compressor for an output of {@code bitDepth} bits per pixel. */
    public ZarrCompressor compressorFor(int bitDepth) {
        int level = compressionLevel != AUTO_COMPRESSION ? compressionLevel : bitDepth == 32 ? 0 : 1;
        return level == 0 ? ZarrCompressor.NONE : ZarrCompressor.zlib(level);
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
