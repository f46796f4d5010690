/**
 * OME-Zarr (v0.4, Zarr v2) read and write: arrays, chunks and compressors ({@link io.github.decrappify.image.zarr.ZarrArray}),
 * the multiscale group and its metadata ({@link io.github.decrappify.image.zarr.OmeZarr}), and a stack source over it.
 * Every metadata value read is checked and named in errors.
 */
package io.github.decrappify.image.zarr;
