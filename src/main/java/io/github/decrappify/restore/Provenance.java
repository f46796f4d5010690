package io.github.decrappify.restore;

import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.tile.TileModel;
import java.util.Locale;

/**
 * The one sentence every output carries about how it was made: the TIFF's ImageJ "Info", the Fiji image's
 * "Info" and the OME-Zarr's {@code decrappify.provenance} attribute. Invariant: the same model, settings and
 * input title give the same text whichever front end wrote it; the device and precision are named when the
 * writer runs the model itself (a loaded {@link BundleModel}), and left out where it does not know them (a Spark
 * driver, whose executors each choose their own).
 *
 * <pre>{@code
 * Provenance.of(model, settings, false).describe("cells.tif")
 * // "Restored by Decrappify with model em-x4 (scale 4) on CPU: ... in fp32 (...) from cells.tif;
 * //  normalisation percentiles 1.0-99.8; tile 1024, overlap 32 LR px; 32-bit float output"
 * }</pre>
 *
 * @param runsOn "on DEVICE in PRECISION", or {@code null} when unknown
 * @param tta whether each plane is the mean of the 8 flips/rotations
 */
public record Provenance(String model, int scale, RestoreSettings settings, String runsOn, boolean tta) {

    /** What {@code model} (a {@link BundleModel} names its device and precision) restores with {@code settings}. */
    public static Provenance of(TileModel model, RestoreSettings settings, boolean tta) {
        String runsOn = model instanceof BundleModel m ? "on " + m.device() + " in " + m.precision() : null;
        return new Provenance(model.name(), model.scale(), settings, runsOn, tta);
    }

    /** The sentence for the restoration of the input titled {@code inputTitle}. */
    public String describe(String inputTitle) {
        return String.format(Locale.ROOT,
                "Restored by Decrappify with model %s (scale %d%s)%s from %s; normalisation percentiles %s-%s;"
                        + " tile %d, overlap %d LR px; %s output%s",
                model, scale,
                settings.inputFrames() > 1 ? ", " + settings.inputFrames() + " frames along " + settings.frameAxis() : "",
                runsOn == null ? "" : " " + runsOn, inputTitle, settings.lowPercentile(), settings.highPercentile(),
                settings.tile(), settings.overlap(),
                settings.outType() == RestoreSettings.OutType.FLOAT ? "32-bit float" : "same bit depth",
                tta ? "; mean of the 8 flips/rotations (test-time augmentation)" : "");
    }
}
