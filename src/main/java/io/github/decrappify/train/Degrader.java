package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;
import java.util.Random;

/**
 * Makes a synthetic LR input from an HR patch (the crappifier). Must return a plane {@code scale}
 * times smaller in each axis, and be deterministic for a given {@link Random} state.
 */
@FunctionalInterface
public interface Degrader {
    FloatPlane degrade(FloatPlane hr, Random rng);
}
