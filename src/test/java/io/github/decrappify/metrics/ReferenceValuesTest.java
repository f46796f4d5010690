package io.github.decrappify.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.image.FloatPlane;
import org.junit.jupiter.api.Test;

/**
 * PSNR, SSIM and NRMSE against values computed independently by scikit-image 0.26.0 on the same
 * pixels (test-data/em_lr_stack2_s00.tif, 8-bit, data range 255). SSIM with scikit-image's settings
 * that reproduce Wang et al. 2004: {@code structural_similarity(a, b, data_range=255,
 * gaussian_weights=True, sigma=1.5, use_sample_covariance=False)}; its mean over the image minus a
 * 5-pixel border equals the mean of our "valid" SSIM map. The script:
 * <pre>
 * a = tifffile.imread('test-data/em_lr_stack2_s00.tif').astype(np.float64)
 * y, x = np.mgrid[0:256, 0:256]
 * pattern = 0.8 * a + 20 + ((x * 7 + y * 13) % 17) - 8
 * shift = np.roll(a, 1, axis=1); shift[:, 0] = a[:, 0]
 * psnr(a, t, data_range=255); normalized_root_mse(a, t, normalization='min-max')
 * </pre>
 */
class ReferenceValuesTest {

    private static FloatPlane em() {
        ImagePlus imp = IJ.openImage("test-data/em_lr_stack2_s00.tif");
        return new FloatPlane(imp.getWidth(), imp.getHeight(), (float[]) imp.getProcessor().convertToFloatProcessor().getPixels());
    }

    @Test
    void gainOffsetAndPatternMatchScikitImage() {
        FloatPlane a = em();
        FloatPlane b = a.copy();
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                b.set(x, y, (float) (0.8 * a.get(x, y) + 20 + ((x * 7 + y * 13) % 17) - 8));
            }
        }
        assertEquals(26.034842, Psnr.of(a, b, 255), 1e-4);
        assertEquals(0.965505, Ssim.mean(a, b, 255), 2e-5);
        assertEquals(0.058931, Nrmse.of(a, b), 1e-5);
    }

    @Test
    void onePixelShiftMatchesScikitImage() {
        FloatPlane a = em();
        FloatPlane c = a.copy();
        for (int y = 0; y < a.height(); y++) {
            for (int x = 1; x < a.width(); x++) {
                c.set(x, y, a.get(x - 1, y));
            }
        }
        assertEquals(14.566274, Psnr.of(a, c, 255), 1e-4);
        assertEquals(0.375162, Ssim.mean(a, c, 255), 2e-5);
        assertEquals(0.220685, Nrmse.of(a, c), 1e-5);
    }
}
