package io.github.decrappify.restore;

import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.BundleSpec.FrameAxis;
import io.github.decrappify.image.Normalisation;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.tile.TilePlan;

/**
 * How to restore: what the model expects and how to cut, normalise and write.
 *
 * @param scale the model's scale (checked against the model)
 * @param inputFrames 1 for a single-plane model; an odd n &gt; 1 for a model that takes n adjacent planes
 *        along {@code frameAxis} as channels and predicts the centre one. Planes beyond the ends are
 *        mirrored (plane −1 is plane 1), so no plane is dropped.
 * @param lowPercentile percentile mapped to 0 before the model (CSBDeep default 1)
 * @param highPercentile percentile mapped to 1 (default 99.8); both over the whole stack, per channel
 * @param tile LR tile size, rounded up to the model's size multiple; 0 = whole plane at once
 * @param overlap LR context kept around every blended tile pixel (≥ the model's effective radius)
 * @param outType {@link OutType#FLOAT} or the input's bit depth ({@link OutType#SAME}: rounded, clamped)
 * @param overwrite replace an existing output (including the input file itself)
 * @param skipExisting leave an existing complete output alone and report it as skipped
 */
public record RestoreSettings(int scale, int inputFrames, FrameAxis frameAxis, double lowPercentile,
        double highPercentile, int tile, int overlap, OutType outType, boolean overwrite, boolean skipExisting)
        implements java.io.Serializable {

    /** Pixel type of the output. */
    public enum OutType {
        /** 32-bit float: nothing is lost. */
        FLOAT,
        /** The input's bit depth: values rounded and clamped to the type's range. */
        SAME
    }

    public RestoreSettings {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be >= 1: " + scale);
        }
        if (inputFrames < 1 || inputFrames % 2 == 0) {
            throw new IllegalArgumentException("input frames must be odd and >= 1 (a centre plane): " + inputFrames);
        }
        if (!(0 <= lowPercentile && lowPercentile < highPercentile && highPercentile <= 100)) {
            throw new IllegalArgumentException("need 0 <= low < high <= 100 percentiles: " + lowPercentile + ", "
                    + highPercentile);
        }
        if (tile < 0 || overlap < 0 || tile > TilePlan.MAX_TILE || overlap > TilePlan.MAX_OVERLAP) {
            throw new IllegalArgumentException("tile must be from 0 to " + TilePlan.MAX_TILE + " and overlap from 0 to "
                    + TilePlan.MAX_OVERLAP + ": " + tile + ", " + overlap);
        }
        if (frameAxis == null || outType == null) {
            throw new IllegalArgumentException("frame axis and output type are required");
        }
    }

    /** Single-plane model, percentiles 1–99.8, tile 1024, overlap 32, float output, no overwriting. */
    public static RestoreSettings defaults(int scale) {
        return new RestoreSettings(scale, 1, FrameAxis.Z, Normalisation.DEFAULT_LOW_PERCENTILE,
                Normalisation.DEFAULT_HIGH_PERCENTILE, BundleSpec.DEFAULT_TILE, BundleSpec.DEFAULT_HALO, OutType.FLOAT, false, false);
    }

    /**
     * Size and type of the restoration of a stack of {@code input}'s shape, the same for TIFF, OME-Zarr and Fiji:
     * X and Y times the scale; 32-bit float, or with {@link OutType#SAME} the input's bit depth.
     */
    public StackShape outputShape(StackShape input) {
        return input.scaled(scale, outType == OutType.FLOAT ? 32 : input.bitDepth());
    }

    public RestoreSettings withFrames(int frames, FrameAxis axis) {
        return new RestoreSettings(scale, frames, axis, lowPercentile, highPercentile, tile, overlap, outType,
                overwrite, skipExisting);
    }

    public RestoreSettings withPercentiles(double low, double high) {
        return new RestoreSettings(scale, inputFrames, frameAxis, low, high, tile, overlap, outType, overwrite,
                skipExisting);
    }

    public RestoreSettings withTiling(int tileSize, int overlapSize) {
        return new RestoreSettings(scale, inputFrames, frameAxis, lowPercentile, highPercentile, tileSize, overlapSize,
                outType, overwrite, skipExisting);
    }

    public RestoreSettings withOutType(OutType type) {
        return new RestoreSettings(scale, inputFrames, frameAxis, lowPercentile, highPercentile, tile, overlap, type,
                overwrite, skipExisting);
    }

    public RestoreSettings withOverwrite(boolean replace) {
        return new RestoreSettings(scale, inputFrames, frameAxis, lowPercentile, highPercentile, tile, overlap,
                outType, replace, skipExisting);
    }

    public RestoreSettings withSkipExisting(boolean skip) {
        return new RestoreSettings(scale, inputFrames, frameAxis, lowPercentile, highPercentile, tile, overlap,
                outType, overwrite, skip);
    }
}
