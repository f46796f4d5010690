package io.github.decrappify.crappify;

/**
 * A closed interval {@code [min, max]} from which a noise level is drawn per training patch;
 * {@code min == max} is a fixed level.
 */
public record Range(double min, double max) {

    public Range {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("invalid range [" + min + ", " + max + "]");
        }
    }

    public static Range of(double value) {
        return new Range(value, value);
    }

    public boolean isFixed() {
        return min == max;
    }
}
