package io.github.decrappify.testutil;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ShortProcessor;
import java.nio.file.Path;
import java.util.Random;

/** Synthetic training images: blurry blobs on a gradient, structure at every scale. */
public final class Blobs {

    private Blobs() {}

    /** Writes a {@code size}² 16-bit TIFF of 12 Gaussian blobs placed by {@code seed}. */
    public static void write(Path file, int size, long seed) {
        Random rng = new Random(seed);
        double[][] centres = new double[12][];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = new double[] {rng.nextDouble() * size, rng.nextDouble() * size, 3 + rng.nextDouble() * 8};
        }
        ShortProcessor sp = new ShortProcessor(size, size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double v = 500 + 5 * x;
                for (double[] c : centres) {
                    double d2 = (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]);
                    v += 3000 * Math.exp(-d2 / (2 * c[2] * c[2]));
                }
                sp.set(x, y, (int) v);
            }
        }
        IJ.saveAsTiff(new ImagePlus(file.getFileName().toString(), sp), file.toString());
    }
}
