package io.github.decrappify.crappify;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.ops.Percentiles;
import java.io.IOException;
import java.util.Random;

/**
 * Crappifies whole images, plane by plane: the per-image step shared by {@code decrappify crappify}
 * (files, streamed through {@link ImageStackSource}, the reader restore uses) and the Fiji Crappify
 * command (open images, {@link ImageJStackSource#wrap}): the same checks and the same pixels.
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

    /** Receives each crappified plane, in ImageJ's czt order (0-based). */
    @FunctionalInterface
    public interface Sink {
        void plane(int c, int z, int t, FloatPlane lr) throws IOException;
    }

    /**
     * @param randomLevel draw each plane's noise level from the preset's ranges; otherwise use its
     *        typical level (reproducible look across images)
     * @param rng the noise source; one per image, so a seed gives the same output on every run
     * @return a 32-bit image {@code floor(W/scale) x floor(H/scale)} with the input's C/Z/T, titled
     *         "&lt;title&gt; crappified", pixel size multiplied by the scale, the preset in its Info
     * @throws BadInputException for RGB/colour images and NaN/Inf pixels
     * @throws IllegalArgumentException if the image is smaller than the scale
     */
    public static ImagePlus crappify(ImagePlus imp, Crappifier crappifier, boolean randomLevel, Random rng)
            throws BadInputException {
        ImageStack in = imp.getStack();
        ImageStack[] out = new ImageStack[1];
        try (ImageStackSource src = ImageJStackSource.wrap(imp)) {
            crappify(src, crappifier, randomLevel, rng, (c, z, t, lr) -> {
                if (out[0] == null) {
                    out[0] = new ImageStack(lr.width(), lr.height());
                }
                out[0].addSlice(in.getSliceLabel(imp.getStackIndex(c + 1, z + 1, t + 1)),
                        new FloatProcessor(lr.width(), lr.height(), lr.data()));
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // the sink above does no I/O
        }
        ImagePlus res = new ImagePlus(imp.getTitle() + " crappified", out[0]);
        res.setDimensions(imp.getNChannels(), imp.getNSlices(), imp.getNFrames());
        if (imp.isHyperStack()) {
            res.setOpenAsHyperStack(true);
        }
        int s = crappifier.params().scale();
        Calibration cal = imp.getCalibration().copy();
        cal.pixelWidth *= s;
        cal.pixelHeight *= s;
        res.setCalibration(cal);
        res.setProperty("Info", info(crappifier));
        return res;
    }

    /**
     * Crappifies every plane of {@code src} in czt order (one {@code rng} draw sequence, so a seed gives
     * the same output however the image was opened); each plane is checked for NaN/Inf when read.
     */
    public static void crappify(ImageStackSource src, Crappifier crappifier, boolean randomLevel, Random rng, Sink sink)
            throws BadInputException, IOException {
        int s = crappifier.params().scale();
        if (src.width() < s || src.height() < s) {
            throw new IllegalArgumentException(src.title() + " is " + src.width() + "x" + src.height()
                    + " pixels, smaller than the scale " + s);
        }
        for (int t = 0; t < src.frames(); t++) {
            for (int z = 0; z < src.slices(); z++) {
                for (int c = 0; c < src.channels(); c++) {
                    sink.plane(c, z, t, plane(src.readFinitePlane(c, z, t), crappifier, randomLevel, rng));
                }
            }
        }
    }

    /** One HR plane degraded, in its own intensity units. */
    public static FloatPlane plane(FloatPlane hr, Crappifier crappifier, boolean randomLevel, Random rng) {
        float[] px = hr.data();
        double[] r = Percentiles.range(px, Percentiles.LOW, Percentiles.HIGH);
        FloatPlane norm = Percentiles.affine(hr, r[0], r[1]);
        FloatPlane lr = randomLevel ? crappifier.apply(norm, rng)
                : crappifier.apply(norm, crappifier.params().typicalLevel(), rng);
        float[] back = new float[lr.data().length];
        for (int j = 0; j < back.length; j++) {
            back[j] = (float) (r[0] + lr.data()[j] * (r[1] - r[0]));
        }
        return new FloatPlane(lr.width(), lr.height(), back);
    }

    /** The Info text recorded in a crappified image. */
    public static String info(Crappifier crappifier) {
        return "crappified by Decrappify: " + PresetIO.toYaml(crappifier.params()).replace('\n', ' ');
    }
}
