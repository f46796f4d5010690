package io.github.decrappify.train;

import io.github.decrappify.crappify.Range;
import io.github.decrappify.model.BundleSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How training images are prepared before they reach the network: the percentile normalisation
 * (recorded in the bundle, so restore normalises real inputs the same way) and the intensity jitter
 * that makes a model robust to the gain and offset of an acquisition it never saw.
 *
 * @param normalisation percentiles mapped to 0 and 1, per plane
 * @param gain          range of the random contrast factor, drawn uniformly per patch
 * @param offset        the random brightness offset is drawn uniformly from {@code [-offset, offset]}
 */
public record DataRecipe(BundleSpec.PercentileRange normalisation, Range gain, double offset) {

    /** What every model before the recipe options was trained with. */
    public static final DataRecipe DEFAULT = new DataRecipe(BundleSpec.PercentileRange.DEFAULT, new Range(0.75, 1.25), 0.1);

    public DataRecipe {
        if (normalisation == null || gain == null) {
            throw new IllegalArgumentException("normalisation and gain are required");
        }
        if (!(gain.min() > 0) || !Double.isFinite(gain.max())) {
            throw new IllegalArgumentException("intensity gain range must be positive and finite, got " + gain);
        }
        if (!(offset >= 0) || !(offset < 1)) {
            throw new IllegalArgumentException("intensity offset must be in [0, 1), got " + offset);
        }
    }

    /** Entries for {@link TrainConfig#describe()}; empty for the default so older checkpoints still resume. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!equals(DEFAULT)) {
            m.put("norm_percentiles", normalisation.lowPercentile() + "," + normalisation.highPercentile());
            m.put("aug_gain", gain.min() + "," + gain.max());
            m.put("aug_offset", offset);
        }
        return m;
    }
}
