package io.github.decrappify.runtime;

import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.Npy;
import java.io.IOException;
import java.util.Arrays;

/**
 * Re-runs a bundle's test input and compares the result with its test output: the check that a model
 * received from someone else computes here what it computed where it was made.
 * <pre>{@code
 * BundleValidation.Result r = BundleValidation.run(store.resolve("em-x4-unet-s"), Device.AUTO);
 * if (!r.ok()) { ... r.maxAbs() > r.tolerance() ... }
 * }</pre>
 */
public final class BundleValidation {

    /** Relative tolerance: max |difference| ≤ TOLERANCE · range of the expected output. */
    public static final double TOLERANCE = 1e-4;

    private BundleValidation() {
    }

    /** Element-wise agreement of a model output with the expected one. */
    public record Result(double maxAbs, double meanAbs, double range, double tolerance) {
        public static Result of(float[] expected, float[] actual) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double max = 0;
            double sum = 0;
            for (int i = 0; i < expected.length; i++) {
                lo = Math.min(lo, expected[i]);
                hi = Math.max(hi, expected[i]);
                double d = Math.abs((double) expected[i] - actual[i]);
                // A NaN output counts as infinitely wrong, so the printed maximum says why it failed.
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
                sum += d;
            }
            // A flat expected output has range 0: fall back to its magnitude so the check stays meaningful.
            double range = hi > lo ? hi - lo : Math.max(Math.abs(hi), 1);
            return new Result(max, sum / Math.max(1, expected.length), range, TOLERANCE * range);
        }

        public boolean ok() {
            return maxAbs <= tolerance;
        }
    }

    /**
     * Runs the test input through the model on {@code device}.
     *
     * @throws BundleException if the output's shape differs from the test output's
     */
    public static Result run(ModelBundle bundle, Device device)
            throws BundleException, RuntimeUnavailableException, IOException {
        Npy.Tensor in = bundle.testInput();
        Npy.Tensor expected = bundle.testOutput();
        int[] s = in.shape();
        try (LoadedModel m = LoadedModel.load(bundle.savedModelDir(), device)) {
            LoadedModel.Output o = m.predict(in.data(), s[0], s[1], s[2], s[3]);
            int[] shape = Arrays.stream(o.shape()).mapToInt(Math::toIntExact).toArray();
            if (!Arrays.equals(shape, expected.shape())) {
                throw new BundleException("model '" + bundle.spec().name() + "': output shape "
                        + Arrays.toString(o.shape()) + " differs from test_output.npy's "
                        + Arrays.toString(expected.shape()) + "; the bundle is inconsistent — re-export it");
            }
            return Result.of(expected.data(), o.data());
        }
    }
}
