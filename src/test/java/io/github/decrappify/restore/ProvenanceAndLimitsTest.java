package io.github.decrappify.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ij.ImagePlus;
import ij.process.ShortProcessor;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.model.BundleSpec.FrameAxis;
import io.github.decrappify.tile.FakeModels.Identity;
import org.junit.jupiter.api.Test;

/** The one provenance sentence, output shape and size refusals every restore front end uses. */
class ProvenanceAndLimitsTest {

    @Test
    void provenanceNamesModelFramesSettingsAndChecks() {
        RestoreSettings s = RestoreSettings.defaults(4).withFrames(3, FrameAxis.T).withPercentiles(2, 99.5)
                .withTiling(256, 24).withOutType(RestoreSettings.OutType.SAME);
        assertEquals("Restored by Decrappify with model Identity (scale 4, 3 frames along T) from em.tif;"
                + " normalisation percentiles 2.0-99.5; tile 256, overlap 24 LR px; same bit depth output;"
                + " mean of the 8 flips/rotations (test-time augmentation)",
                Provenance.of(new Identity(4, 16, 3, 1), s, true).describe("em.tif"));
        assertEquals("Restored by Decrappify with model m (scale 2) on GPU: X in fp32 (asked) from a;"
                + " normalisation percentiles 1.0-99.8; tile 1024, overlap 32 LR px; 32-bit float output",
                new Provenance("m", 2, RestoreSettings.defaults(2), "on GPU: X in fp32 (asked)", false).describe("a"));
    }

    @Test
    void outputShapeScalesXyAndKeepsOrFloatsTheBitDepth() {
        StackShape in = new StackShape(30, 20, 2, 5, 3, 16);
        assertEquals(new StackShape(120, 80, 2, 5, 3, 32), RestoreSettings.defaults(4).outputShape(in));
        assertEquals(new StackShape(120, 80, 2, 5, 3, 16),
                RestoreSettings.defaults(4).withOutType(RestoreSettings.OutType.SAME).outputShape(in));
        assertEquals(new StackShape(30, 20, 2, 5, 3, 32), in.asFloat());
    }

    @Test
    void tooSmallAndTooLargePlanesAreRefusedWithOneLine() throws Exception {
        Identity model = new Identity(2, 16, 1, 0); // minimum size 8
        ImageJStackSource narrow = ImageJStackSource.wrap(new ImagePlus("narrow", new ShortProcessor(7, 30)));
        BadInputException small = assertThrows(BadInputException.class,
                () -> PlaneLimits.requireLargeEnough(model, narrow));
        assertEquals("narrow is 7x30 pixels; model Identity needs at least 8x8", small.getMessage());
        PlaneLimits.requireLargeEnough(model, ImageJStackSource.wrap(new ImagePlus("ok", new ShortProcessor(8, 8))));

        ImageJStackSource big = ImageJStackSource.wrap(new ImagePlus("big", new ShortProcessor(100, 50)));
        PlaneLimits.requireOutputPlaneFits(model, big, 200L * 100 * 4, 4, "x");
        BadInputException large = assertThrows(BadInputException.class,
                () -> PlaneLimits.requireOutputPlaneFits(model, big, 200L * 100 * 4 - 1, 4, "a TIFF plane can hold"));
        assertEquals("big (100x50) restored at x2 gives planes of 200x100 pixels (0.0 GiB), more than a TIFF plane can hold",
                large.getMessage());
    }
}
