package io.github.decrappify.runtime;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.Npy;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Measures how far bf16 inference strays from fp32 for one SavedModel: the quality guard that
 * {@code restore --precision auto} reads from a bundle ({@link BundleSpec.Bf16Check}). Used where
 * bundles are written (train and fine-tune exports) and by {@code models check-precision} for existing ones.
 *
 * <p>Both precisions run on the CPU, the model loaded twice (one session each, the bf16 one with
 * TensorFlow's oneDNN auto-mixed-precision rewrite). Inputs: the bundle's test tensor and optionally a
 * validation image (normalised LR) with its truth (normalised HR, {@code scale} times larger): the
 * differences are relative to the fp32 output's range; the PSNR change is bf16's PSNR against the truth
 * minus fp32's (data range 1, as training's validation scores).
 * <pre>{@code
 * BundleSpec.Bf16Check c = Bf16Measurement.measure(savedModel, testInput, valLr, valTruth, "s2_18.tif");
 * // null where the CPU has no native bf16: nothing meaningful to measure there
 * }</pre>
 */
public final class Bf16Measurement {

    private Bf16Measurement() {}

    /**
     * @param testInput  the bundle's test tensor, NHWC
     * @param image      a normalised LR validation image of a size the model takes, or {@code null}
     * @param truth      its normalised truth ({@code scale}× larger, one channel), or {@code null}
     * @param imageLabel how the check names the image ("validation image LABEL")
     * @return the check, or {@code null} when this CPU has no native bf16 (TensorFlow would emulate or
     *         skip the rewrite, so the numbers would not be what a bf16 CPU computes)
     */
    public static BundleSpec.Bf16Check measure(Path savedModel, Npy.Tensor testInput, FloatPlane image, FloatPlane truth,
            String imageLabel) throws RuntimeUnavailableException, IOException {
        if (!Precision.cpuHasNativeBf16()) {
            return null;
        }
        int[] s = testInput.shape();
        try (LoadedModel fp32 = LoadedModel.load(savedModel, Device.CPU);
                LoadedModel bf16 = LoadedModel.load(savedModel, Device.CPU,
                        gpu -> new Precision.Choice(Precision.BF16, "bf16 check"))) {
            Diff test = Diff.of(fp32.predict(testInput.data(), s[0], s[1], s[2], s[3]).data(),
                    bf16.predict(testInput.data(), s[0], s[1], s[2], s[3]).data());
            double max = test.maxRel;
            double mean = test.meanRel;
            double psnr = test.psnrDb;
            Double change = null;
            String on = "test_tensor";
            if (image != null) {
                float[] a = fp32.predict(image.data(), 1, image.height(), image.width(), image.channels()).data();
                float[] b = bf16.predict(image.data(), 1, image.height(), image.width(), image.channels()).data();
                Diff d = Diff.of(a, b);
                max = Math.max(max, d.maxRel);
                mean = Math.max(mean, d.meanRel);
                psnr = Math.min(psnr, d.psnrDb);
                on += ", validation image " + imageLabel;
                if (truth != null) {
                    if (truth.data().length != a.length) {
                        throw new IllegalArgumentException("bf16 check: the truth of " + imageLabel + " has "
                                + truth.width() + "x" + truth.height() + " pixels, the model's output " + a.length);
                    }
                    change = psnr(truth.data(), b, 1) - psnr(truth.data(), a, 1);
                }
            }
            return new BundleSpec.Bf16Check(round(max, 6), round(mean, 7), round(psnr, 2),
                    change == null ? null : round(change, 4), on, cpu());
        }
    }

    /** The CPU named as the check records it: model name and the bf16 flags it has. */
    static String cpu() {
        String name = LoadedModel.DeviceInfo.cpuName();
        return name.replaceFirst("^CPU: ", "").replaceFirst(" \\(.*$", "") + " (native bf16)";
    }

    /** bf16 against fp32, relative to the fp32 output's range. */
    record Diff(double maxRel, double meanRel, double psnrDb) {
        static Diff of(float[] fp32, float[] bf16) {
            if (fp32.length != bf16.length) {
                throw new IllegalStateException("bf16 output has " + bf16.length + " values, fp32 " + fp32.length);
            }
            BundleValidation.Result r = BundleValidation.Result.of(fp32, bf16);
            return new Diff(r.maxAbs() / r.range(), r.meanAbs() / r.range(), psnr(fp32, bf16, r.range()));
        }
    }

    /** PSNR of {@code test} against {@code reference}, peak {@code range}; +Infinity when identical. */
    static double psnr(float[] reference, float[] test, double range) {
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double d = (double) reference[i] - test[i];
            sum += d * d;
        }
        double mse = sum / Math.max(1, reference.length);
        return 10 * Math.log10(range * range / mse);
    }

    private static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
