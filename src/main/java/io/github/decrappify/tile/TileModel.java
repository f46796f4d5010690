package io.github.decrappify.tile;

import io.github.decrappify.image.FloatPlane;

/**
 * A restoration network as the tiling code sees it: a function from a low-resolution patch to a
 * high-resolution one. Implementations (TensorFlow, or pure Java fakes in tests) need not know about
 * tiles, files or normalisation.
 *
 * <p>Contract of {@link #predict}: the input is h×w×{@link #inputChannels()} with h and w multiples
 * of {@link #sizeMultiple()}; the output is (h·{@link #scale()})×(w·{@link #scale()})×1. A model whose
 * layers attend within fixed windows (windowed self-attention) must put the window grid at multiples of
 * {@code sizeMultiple()} from the patch origin: {@link TilePlan} starts every patch on that grid, which
 * is what makes tiled and whole-image outputs agree.
 */
public interface TileModel {

    /** Output pixels per input pixel along X and Y (1 = denoising). */
    int scale();

    /** Input height and width must be multiples of this (e.g. 64 for 8×8 windows at 1/8 resolution). */
    int sizeMultiple();

    /** Channels of the input patch (1, or n adjacent planes for a multi-frame model). */
    int inputChannels();

    /** Runs the model on one patch; see the class comment for shapes. Not required to be thread-safe. */
    FloatPlane predict(FloatPlane input);

    /**
     * Smallest image width and height the model is meant for; smaller images are refused rather
     * than mirror-padded into mostly reflections. Default: half of {@link #sizeMultiple()}, so that at
     * least half of the padded patch along each axis is real data.
     */
    default int minimumSize() {
        return Math.max(1, sizeMultiple() / 2);
    }

    /** Shown to users and recorded in outputs (e.g. the model bundle's name). */
    default String name() {
        return getClass().getSimpleName();
    }
}
