package io.github.decrappify.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.decrappify.image.Normalisation;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.BundleSpec.Author;
import io.github.decrappify.model.BundleSpec.Modality;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 16 item 3: one meaning per option, on the command line, in Fiji and on Spark. */
class RestoreRequestTest {

    private static BundleSpec spec(int tile, int halo) {
        return BundleSpec.builder("m", 2, Modality.EM).optAuthors(List.of(new Author("A", null))).optLicense("MIT")
                .optTiling(tile, halo).build();
    }

    @Test
    void tileZeroOrAbsentIsTheBundlesTileAndOverlapIsItsHalo() {
        BundleSpec s = spec(256, 12);
        RestoreSettings absent = new RestoreRequest(null, null, null, false, false).settingsFor(s);
        RestoreSettings zero = new RestoreRequest(0, null, null, false, false).settingsFor(s);
        assertEquals(256, absent.tile());
        assertEquals(12, absent.overlap(), "the bundle's halo is the overlap");
        assertEquals(256, zero.tile(), "--tile 0 and Fiji's tile=0 both mean the bundle's tile");
        RestoreSettings mine = new RestoreRequest(512, 0, null, false, false).settingsFor(s);
        assertEquals(512, mine.tile());
        assertEquals(0, mine.overlap(), "0 is a real overlap");
    }

    @Test
    void theDefaultsLiveInOnePlace() {
        BundleSpec s = BundleSpec.builder("m", 2, Modality.EM).optAuthors(List.of(new Author("A", null)))
                .optLicense("MIT").build();
        assertEquals(1024, BundleSpec.DEFAULT_TILE);
        assertEquals(32, BundleSpec.DEFAULT_HALO);
        assertEquals(BundleSpec.DEFAULT_TILE, s.tile());
        assertEquals(BundleSpec.DEFAULT_HALO, s.halo());
        RestoreSettings d = RestoreSettings.defaults(2);
        assertEquals(BundleSpec.DEFAULT_TILE, d.tile());
        assertEquals(BundleSpec.DEFAULT_HALO, d.overlap());
        assertEquals(1, Normalisation.DEFAULT_LOW_PERCENTILE);
        assertEquals(99.8, Normalisation.DEFAULT_HIGH_PERCENTILE);
        assertEquals("1,99.8", Normalisation.DEFAULT_PERCENTILES);
        assertEquals(Normalisation.DEFAULT_LOW_PERCENTILE, BundleSpec.PercentileRange.DEFAULT.lowPercentile());
        assertEquals(Normalisation.DEFAULT_HIGH_PERCENTILE, BundleSpec.PercentileRange.DEFAULT.highPercentile());
        assertEquals(Normalisation.DEFAULT_LOW_PERCENTILE, d.lowPercentile());
        assertEquals(Normalisation.DEFAULT_HIGH_PERCENTILE, d.highPercentile());
        assertEquals(Normalisation.DEFAULT_LOW_PERCENTILE, io.github.decrappify.image.ops.Percentiles.LOW);
        assertEquals(Normalisation.DEFAULT_HIGH_PERCENTILE, io.github.decrappify.image.ops.Percentiles.HIGH);
    }
}
