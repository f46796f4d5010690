/**
 * Images and files at the lowest layer: planes ({@link io.github.decrappify.image.FloatPlane}), stack sources (TIFF, ImageJ)
 * with shape and calibration, the streamed TIFF writer, whole-stack percentiles and {@link io.github.decrappify.image.Normalisation},
 * and the project's one atomic file write ({@link io.github.decrappify.image.AtomicFiles}), one recursive delete
 * ({@link io.github.decrappify.image.Folders}) and one JSON writer ({@link io.github.decrappify.image.Json}). Depends on no other package here.
 */
package io.github.decrappify.image;
