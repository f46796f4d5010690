package io.github.decrappify.train.nogan;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.metrics.Registration;
import io.github.decrappify.train.Crops;
import io.github.decrappify.train.TrainingPair;
import java.util.Locale;

/**
 * Translation between the HR and LR images of a real pair, measured by {@link Registration#lrToHr}
 * (coarse phase correlation, then the sub-pixel shift whose area-averaged HR best fits the LR), and
 * removed by cropping both to their common field with the HR offset rounded to whole HR pixels (a
 * residual of at most half an HR pixel remains). Real acquisitions at two samplings drift: SR-CACO-2's
 * ×4 pair is ≈7 HR px apart horizontally and 1 vertically, which would teach a network to shift, or at
 * ×4 to blur, its output.
 */
public final class Drift {

    /** What to do about measured drift. */
    public enum Mode {
        /** Measure, crop both images to the registered common field and report. */
        CORRECT,
        /** Measure and report, train on the pair as it is. */
        REPORT,
        /** Neither measure nor correct (synthetic pairs). */
        OFF
    }

    /** Shifts below this (HR px) need no correction: cropping cannot remove less than half a pixel. */
    static final double NEGLIGIBLE = 0.5;
    /** A shift larger than this fraction of the image means the two files do not show the same field. */
    static final double MAX_FRACTION = 0.25;

    /**
     * One pair's registration: {@code dx, dy} in HR px such that the upsampled LR at {@code (x+dx, y+dy)}
     * matches the HR at {@code (x, y)}; the pair as trained on.
     */
    public record Result(String name, double dx, double dy, boolean corrected, TrainingPair pair) {
        public String describe() {
            if (Math.hypot(dx, dy) < NEGLIGIBLE) {
                return String.format(Locale.ROOT, "%s: HR/LR drift %.2f, %.2f HR px (negligible)", name, dx, dy);
            }
            return String.format(Locale.ROOT, "%s: HR/LR drift %.2f, %.2f HR px%s", name, dx, dy, corrected
                    ? String.format(Locale.ROOT, ", corrected by cropping to %dx%d HR px", pair.hr().width(), pair.hr().height())
                    : " (not corrected)");
        }
    }

    private Drift() {}

    /** Measures the drift of a normalised pair ({@code lr} exactly {@code scale} times smaller than {@code hr}). */
    public static Registration.Shift measure(FloatPlane hr, FloatPlane lr, int scale) {
        FloatPlane h = centre(hr);
        FloatPlane l = centre(lr);
        return Registration.lrToHr(h, l, scale);
    }

    /**
     * Measures and (in {@link Mode#CORRECT}) removes the drift of a pair.
     *
     * @throws IllegalArgumentException when the shift is so large that the images cannot be the same field
     */
    public static Result apply(TrainingPair pair, int scale, Mode mode) {
        if (mode == Mode.OFF) {
            return new Result(pair.name(), 0, 0, false, pair);
        }
        Registration.Shift s = measure(pair.hr(), pair.lr(), scale);
        FloatPlane hr = pair.hr();
        if (Math.abs(s.dx()) > MAX_FRACTION * hr.width() || Math.abs(s.dy()) > MAX_FRACTION * hr.height()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: HR and LR are %.1f, %.1f HR px apart;"
                    + " they do not show the same field (pairs are matched by file name)", pair.name(), s.dx(), s.dy()));
        }
        if (mode == Mode.REPORT || Math.hypot(s.dx(), s.dy()) < NEGLIGIBLE) {
            return new Result(pair.name(), s.dx(), s.dy(), false, pair);
        }
        int[] x = axis(s.roundedX(), scale, hr.width(), pair.lr().width());
        int[] y = axis(s.roundedY(), scale, hr.height(), pair.lr().height());
        TrainingPair cropped = new TrainingPair(pair.name(),
                Crops.crop(hr, x[0], y[0], x[2] * scale, y[2] * scale), Crops.crop(pair.lr(), x[1], y[1], x[2], y[2]));
        return new Result(pair.name(), s.dx(), s.dy(), true, cropped);
    }

    /**
     * Crop origins {@code {hrOrigin, lrOrigin, lrLength}} along one axis for an HR shift {@code d}: the
     * LR pixel at {@code lrOrigin + i} then covers HR pixels {@code hrOrigin + s·i ...}, i.e. HR
     * {@code X} matches upsampled LR {@code X + d}.
     */
    static int[] axis(int d, int scale, int hrLength, int lrLength) {
        int lrOrigin = d > 0 ? (d + scale - 1) / scale : 0;
        int hrOrigin = scale * lrOrigin - d;
        int length = Math.min(lrLength - lrOrigin, (hrLength - hrOrigin) / scale);
        return new int[] {hrOrigin, lrOrigin, length};
    }

    private static FloatPlane centre(FloatPlane p) {
        return p.channels() == 1 ? p : p.channel(p.channels() / 2);
    }
}
