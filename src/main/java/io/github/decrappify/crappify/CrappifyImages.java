package io.github.decrappify.crappify;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Percentiles;
import java.util.Random;

/**
 * Crappifies whole ImageJ images, plane by plane: the per-image step shared by {@code decrappify
 * crappify} and the Fiji Crappify command.
 *
 * <p>Each plane is normalised to its own percentiles (1..99.8), degraded by the {@link Crappifier} and
 * mapped back to the input's intensity units, so the LR image looks like the HR one acquired worse.
 * <pre>{@code
 * ImagePlus lr = CrappifyImages.crappify(hr, new Crappifier(Presets.em(4)), false, new Random(seed));
 * }</pre>
 */
public final class CrappifyImages {

    private CrappifyImages() {
    }

    /**
     * @param randomLevel draw each plane's noise level from the preset's ranges; otherwise use its
     *        typical level (reproducible look across images)
     * @param rng the noise source; one per image, so a seed gives the same output on every run
     * @return a 32-bit image {@code floor(W/scale) x floor(H/scale)} with the input's C/Z/T, titled
     *         "&lt;title&gt; crappified", pixel size multiplied by the scale, the preset in its Info
     * @throws IllegalArgumentException if the image is smaller than the scale
     */
    public static ImagePlus crappify(ImagePlus imp, Crappifier crappifier, boolean randomLevel, Random rng) {
        int s = crappifier.params().scale();
        if (imp.getWidth() < s || imp.getHeight() < s) {
            throw new IllegalArgumentException(imp.getTitle() + " is " + imp.getWidth() + "x" + imp.getHeight()
                    + " pixels, smaller than the scale " + s);
        }
        ImageStack in = imp.getStack();
        ImageStack out = null;
        for (int k = 1; k <= in.getSize(); k++) {
            float[] px = (float[]) in.getProcessor(k).convertToFloatProcessor().getPixels();
            FloatPlane hr = new FloatPlane(imp.getWidth(), imp.getHeight(), px);
            double[] r = Percentiles.range(px, Percentiles.LOW, Percentiles.HIGH);
            FloatPlane norm = Percentiles.affine(hr, r[0], r[1]);
            FloatPlane lr = randomLevel ? crappifier.apply(norm, rng)
                    : crappifier.apply(norm, crappifier.params().typicalLevel(), rng);
            float[] back = new float[lr.data().length];
            for (int j = 0; j < back.length; j++) {
                back[j] = (float) (r[0] + lr.data()[j] * (r[1] - r[0]));
            }
            if (out == null) {
                out = new ImageStack(lr.width(), lr.height());
            }
            out.addSlice(in.getSliceLabel(k), new FloatProcessor(lr.width(), lr.height(), back));
        }
        ImagePlus res = new ImagePlus(imp.getTitle() + " crappified", out);
        res.setDimensions(imp.getNChannels(), imp.getNSlices(), imp.getNFrames());
        if (imp.isHyperStack()) {
            res.setOpenAsHyperStack(true);
        }
        Calibration cal = imp.getCalibration().copy();
        cal.pixelWidth *= s;
        cal.pixelHeight *= s;
        res.setCalibration(cal);
        res.setProperty("Info", "crappified by Decrappify: " + PresetIO.toYaml(crappifier.params()).replace('\n', ' '));
        return res;
    }
}
