package io.github.decrappify.runtime;

import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.Npy;
import java.io.IOException;

/**
 * Re-runs a bundle's test input through the model and compares with its test output: what
 * {@code models validate} reports. Opening the bundle already verified checksums and the op allow-list.
 */
public final class BundleValidation {

    /** Tolerance relative to the test output's range (TF kernels differ slightly between CPUs). */
    public static final double TOLERANCE = 1e-4;

    /** Max absolute difference, the test output's value range, and whether it passes. */
    public record Result(double maxAbsDiff, double range, boolean passed, String device) {}

    private BundleValidation() {}

    public static Result run(ModelBundle bundle, Device device) throws RuntimeUnavailableException, IOException {
        Npy.Tensor in = bundle.testInput();
        Npy.Tensor expected = bundle.testOutput();
        int[] s = in.shape();
        if (s.length != 4) {
            throw new IOException("test_input.npy must be 4D (batch, y, x, channel), got " + s.length + "D");
        }
        try (LoadedModel m = LoadedModel.load(bundle.savedModelDir(), device)) {
            LoadedModel.Output out = m.predict(in.data(), s[0], s[1], s[2], s[3]);
            if (out.data().length != expected.data().length) {
                return new Result(Double.POSITIVE_INFINITY, 0, false, m.device());
            }
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            double max = 0;
            for (int i = 0; i < out.data().length; i++) {
                float e = expected.data()[i];
                lo = Math.min(lo, e);
                hi = Math.max(hi, e);
                max = Math.max(max, Math.abs(out.data()[i] - e));
            }
            double range = Math.max(hi - lo, 1e-12);
            return new Result(max, range, max <= TOLERANCE * range, m.device());
        }
    }
}
