/**
 * Restoring images with a bundle, one shape for every front end (CLI, Fiji, OME-Zarr, Spark).
 * {@link io.github.decrappify.restore.RestoreSession} resolves the bundle, turns the user's
 * {@link io.github.decrappify.restore.RestoreRequest} into {@link io.github.decrappify.restore.RestoreSettings} and the
 * QC degradation, and loads the model once; {@link io.github.decrappify.restore.Restorer} is the plane restorer
 * (normalisation, multi-frame windows, tiles, TTA and QC checks) writing into a
 * {@link io.github.decrappify.restore.PlaneSink}, TIFF files ({@code TiffOutput}) or a folder batch
 * ({@code FolderBatch}, with its {@link io.github.decrappify.restore.FolderReport}). What every output shares lives in
 * one small class each: {@link io.github.decrappify.restore.OutputPolicy} (overwrite, skip, resume),
 * {@link io.github.decrappify.restore.Provenance} (the sentence outputs carry) and
 * {@link io.github.decrappify.restore.PlaneLimits} (too small, too large); the OME-Zarr writer in {@code volume} uses
 * the same three.
 */
package io.github.decrappify.restore;
