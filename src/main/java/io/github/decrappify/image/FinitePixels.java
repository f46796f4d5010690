package io.github.decrappify.image;

/** Refusal of NaN and infinite pixel values, which would poison percentiles and the network alike. */
public final class FinitePixels {

    private FinitePixels() {
    }

    /**
     * @param where names the plane in the message (file and position)
     * @throws BadInputException naming the first non-finite pixel
     */
    public static void require(FloatPlane plane, String where) throws BadInputException {
        float[] d = plane.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                int pixel = i / plane.channels();
                throw new BadInputException(where + " has " + (Float.isNaN(d[i]) ? "a NaN" : "an infinite")
                        + " pixel at x=" + pixel % plane.width() + ", y=" + pixel / plane.width()
                        + "; replace non-finite values first (e.g. Process > Math > Remove NaNs)");
            }
        }
    }
}
