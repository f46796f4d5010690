package io.github.decrappify.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.model.BundleSpec.Author;
import io.github.decrappify.model.BundleSpec.Modality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleSpecTest {

    private static BundleSpec.Builder valid(String name) {
        return BundleSpec.builder(name, 2, Modality.EM).optAuthors(List.of(new Author("A", null))).optLicense("MIT");
    }

    @Test
    void namesMustBeSafeFolderNames() {
        assertEquals("em_x2-v1.0", valid("em_x2-v1.0").build().name());
        for (String bad : new String[] {"..", "../x", "a/b", ".hidden", "", "with space", "x".repeat(65)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> valid(bad).build(), bad);
            assertTrue(e.getMessage().startsWith("name must be 1–64"), e.getMessage());
        }
    }

    @Test
    void requiredValuesAndSizesAreChecked() {
        assertMessage(BundleSpec.builder("m", 2, Modality.EM).optLicense("MIT"), "authors must name at least one author");
        assertMessage(BundleSpec.builder("m", 2, Modality.EM).optAuthors(List.of(new Author("A", null))),
                "license must be an SPDX licence id");
        assertMessage(valid("m").optSizes(64, 64).optTiling(100, 8), "tile 100 is not a valid input size (64 + k·64)");
        // Issue 13: a halo of 2^31-1 gave "span end -2147483520 before start 0" at restore time.
        assertMessage(valid("m").optTiling(1024, Integer.MAX_VALUE), "halo must be from 0 to 4096 (got 2147483647)");
        assertMessage(valid("m").optSizes(64, 64).optTiling(64 + 64 * 1100, 8), "tile must be at most 65536");
        assertMessage(valid("m").optSizes(64, Integer.MAX_VALUE).optTiling(64, 8), "size_multiple must be from 1 to 65536"
                + " (got 2147483647)");
        assertMessage(valid("m").optSizes(Integer.MAX_VALUE, 64).optTiling(64, 8), "minimum size must be from 1 to 65536");
        assertMessage(valid("m").optInputFrames(2, BundleSpec.FrameAxis.Z), "input_frames must be an odd number");
        assertMessage(valid("m").optTraining(Map.of("when", new java.util.Date())),
                "training.when must be a string, number, boolean, list or map");
    }

    @Test
    void freeFormMapsAreDeepCopiesAndImmutable() {
        List<Object> losses = new ArrayList<>(List.of(1.0, 0.5));
        BundleSpec spec = valid("m").optTraining(Map.of("losses", losses, "seed", 7L)).build();
        losses.add(0.25);
        assertEquals(List.of(1.0, 0.5), spec.training().get("losses"));
        assertEquals(7, spec.training().get("seed"), "longs that fit are stored as YAML reads them back");
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) spec.training().get("losses")).add(1));
    }

    private static void assertMessage(BundleSpec.Builder builder, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
