package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;

/**
 * One training image: a normalised HR plane and, for real acquisitions, its registered LR plane
 * ({@code null} when LR is synthesised by a {@link Degrader}). Multi-frame models use HR/LR planes
 * with several channels: the HR target is the centre channel.
 */
public record TrainingPair(String name, FloatPlane hr, FloatPlane lr) {
    public boolean paired() {
        return lr != null;
    }
}
