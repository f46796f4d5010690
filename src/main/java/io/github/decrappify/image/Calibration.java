package io.github.decrappify.image;

/**
 * Physical pixel size of an image. {@code unit} follows ImageJ ("nm", "micron", "pixel").
 * Restoring with a model of scale {@code s} yields {@link #scaled(int)}: the pixel width and height
 * are divided by {@code s}; the Z step and frame interval are unchanged. An uncalibrated image (unit
 * "pixel") stays uncalibrated: its output pixels are pixels, not quarter pixels.
 */
public record Calibration(double pixelWidth, double pixelHeight, double pixelDepth, String unit,
        double frameInterval, String timeUnit) {

    public static final Calibration UNCALIBRATED = new Calibration(1, 1, 1, "pixel", 0, "sec");

    public boolean isCalibrated() {
        return !"pixel".equals(unit) && !unit.isEmpty();
    }

    public Calibration scaled(int scale) {
        if (!isCalibrated()) {
            return this;
        }
        return new Calibration(pixelWidth / scale, pixelHeight / scale, pixelDepth, unit, frameInterval, timeUnit);
    }
}
