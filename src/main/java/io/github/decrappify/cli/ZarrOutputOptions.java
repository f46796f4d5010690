package io.github.decrappify.cli;

import io.github.decrappify.volume.VolumeOptions;
import picocli.CommandLine.Option;

/** The OME-Zarr output options that {@code restore} and {@code spark-restore} share (a picocli mixin). */
public final class ZarrOutputOptions {

    @Option(names = "--chunk", paramLabel = "N", description = "OME-Zarr output: chunk width and height in output pixels, "
            + "a multiple of the scale (default 128 x scale).")
    Integer chunk;

    @Option(names = "--chunk-z", paramLabel = "N", defaultValue = "1",
            description = "OME-Zarr output: chunk depth in planes (default ${DEFAULT-VALUE}).")
    int chunkZ;

    @Option(names = "--compress", paramLabel = "LEVEL", description = "OME-Zarr output: zlib level 0-9 of the chunks, 0 = "
            + "uncompressed (default: uncompressed float output, level 1 for --out-type same).")
    Integer compress;

    @Option(names = "--block-tiles", paramLabel = "N", defaultValue = "1",
            description = "OME-Zarr output: tiles per block side; memory grows with its square (default ${DEFAULT-VALUE}).")
    int blockTiles;

    public VolumeOptions volumeOptions() {
        if (compress != null && (compress < 0 || compress > 9)) {
            throw new BadOptionException("--compress must be a zlib level from 0 to 9 (0 = uncompressed), not " + compress);
        }
        if (chunk != null) {
            BadOptionException.require("--chunk", chunk, 0, 1 << 16);
        }
        BadOptionException.require("--chunk-z", chunkZ, 1, 1 << 16);
        BadOptionException.require("--block-tiles", blockTiles, 1, 1 << 10);
        return new VolumeOptions(chunk == null ? 0 : chunk, chunkZ, blockTiles,
                compress == null ? VolumeOptions.AUTO_COMPRESSION : compress);
    }
}
