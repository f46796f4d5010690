package io.github.decrappify.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Percentiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The baselines a model must beat, on a real ssTEM slice crappified with the em preset at its typical level. */
class RealEmBaselineTest {

    private static final Path SLICE = Path.of("/work/shared/data/isbi2012_ssTEM_drosophila_vnc/test/slice_00.png");

    @Test
    void smoothedBicubicBeatsPlainBicubicOnCrappifiedEm() {
        assumeTrue(Files.isRegularFile(SLICE), "ISBI data not present");
        ImagePlus imp = IJ.openImage(SLICE.toString());
        FloatPlane hr = Percentiles.normalise(new FloatPlane(imp.getWidth(), imp.getHeight(),
                (float[]) imp.getProcessor().convertToFloatProcessor().getPixels()));
        Crappifier c = new Crappifier(Presets.em(4));
        FloatPlane lr = c.apply(hr, c.params().typicalLevel(), new Random(1));
        MetricReport plain = MetricReport.of(hr, Baselines.bicubic(lr, 4), 1);
        Baselines.Smoothed best = Baselines.bestSmoothedBicubic(lr, hr, 4, 1);
        MetricReport smoothed = MetricReport.of(hr, best.image(), 1);
        System.out.printf(Locale.ROOT, "ISBI test slice 0, em x4 at %s:%n  bicubic          %s%n  smoothed (s=%.2f) %s%n",
                c.params().typicalLevel(), plain.toJson(), best.sigma(), smoothed.toJson());
        assertTrue(smoothed.psnr() >= plain.psnr());
        assertTrue(best.sigma() > 0);
    }
}
