package io.github.decrappify.restore;

import io.github.decrappify.model.BundleSpec;

/**
 * What a user may override when restoring with a bundle; {@code null} means "as the bundle says", and so does a tile
 * of 0 (the CLI's {@code --tile 0}, Fiji's {@code tile=0}); a tile at least as large as the plane restores it whole.
 * Shared by the CLI and the Fiji commands so both apply the same defaults.
 */
public record RestoreRequest(Integer tile, Integer overlap, RestoreSettings.OutType outType, boolean overwrite,
        boolean skipExisting) {

    public static RestoreRequest defaults() {
        return new RestoreRequest(null, null, RestoreSettings.OutType.FLOAT, false, false);
    }

    /** Settings for {@code spec}: frames, normalisation and tiling from the bundle, then the overrides. */
    public RestoreSettings settingsFor(BundleSpec spec) {
        return RestoreSettings.defaults(spec.scale())
                .withFrames(spec.inputChannels(), spec.frameAxis())
                .withPercentiles(spec.normalisation().lowPercentile(), spec.normalisation().highPercentile())
                .withTiling(tile != null && tile != 0 ? tile : spec.tile(), overlap != null ? overlap : spec.halo())
                .withOutType(outType == null ? RestoreSettings.OutType.FLOAT : outType)
                .withOverwrite(overwrite)
                .withSkipExisting(skipExisting);
    }
}
