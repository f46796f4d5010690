package io.github.decrappify.qc;

import io.github.decrappify.image.FloatPlane;
import java.util.function.UnaryOperator;

/**
 * Test-time augmentation over the eight {@link D4} symmetries: the input is rotated/flipped, restored,
 * transformed back, and the eight restorations are averaged. The mean is usually a little better than a
 * single pass (errors that depend on orientation partly cancel); the per-pixel standard deviation of the
 * eight is an uncertainty map: where a network's answer changes with the orientation of the same data,
 * the detail is not determined by the data and should not be trusted.
 *
 * <p>Memory: the running mean and sum of squared deviations (Welford's update, numerically stable in
 * float) plus one prediction, i.e. about three output planes.
 *
 * <pre>{@code
 * TestTimeAugmentation.Result r = TestTimeAugmentation.predict(lr, p -> predictor.predict(p));
 * FloatPlane restored = r.mean();
 * FloatPlane uncertainty = r.spread();
 * }</pre>
 */
public final class TestTimeAugmentation {

    /** Number of passes (the order of D4). */
    public static final int PASSES = D4.values().length;

    private TestTimeAugmentation() {
    }

    /**
     * @param mean   the average of the eight back-transformed restorations
     * @param spread their per-pixel standard deviation (population, over the eight), same units
     */
    public record Result(FloatPlane mean, FloatPlane spread) {
    }

    /** Reports each pass before it starts: {@code pass} in 0..7. */
    @FunctionalInterface
    public interface PassListener {
        PassListener NONE = (pass, transform) -> { };

        void pass(int pass, D4 transform);
    }

    public static Result predict(FloatPlane input, UnaryOperator<FloatPlane> restore) {
        return predict(input, restore, PassListener.NONE);
    }

    /**
     * @param restore a restoration that maps a W×H plane to a (sW)×(sH) single-channel plane for any
     *                W and H (e.g. a tiled predictor); it is called once per symmetry
     */
    public static Result predict(FloatPlane input, UnaryOperator<FloatPlane> restore, PassListener listener) {
        float[] mean = null;
        float[] m2 = null;
        int width = 0;
        int height = 0;
        int k = 0;
        for (D4 g : D4.values()) {
            listener.pass(k, g);
            FloatPlane out = g.invert(restore.apply(g.apply(input)));
            if (mean == null) {
                width = out.width();
                height = out.height();
                mean = new float[out.data().length];
                m2 = new float[out.data().length];
            } else if (out.width() != width || out.height() != height) {
                throw new IllegalStateException("restoration of " + g + " is " + out + ", expected " + width + "x" + height);
            }
            k++;
            float[] v = out.data();
            for (int i = 0; i < v.length; i++) {
                float d = v[i] - mean[i];
                mean[i] += d / k;
                m2[i] += d * (v[i] - mean[i]);
            }
        }
        float[] sd = m2;
        for (int i = 0; i < sd.length; i++) {
            sd[i] = (float) Math.sqrt(Math.max(0, m2[i]) / k);
        }
        return new Result(new FloatPlane(width, height, mean), new FloatPlane(width, height, sd));
    }
}
