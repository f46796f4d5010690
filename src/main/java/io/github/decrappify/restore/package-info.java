/**
 * Restoring images with a bundle: settings and the user's overrides ({@link io.github.decrappify.restore.RestoreSettings},
 * {@link io.github.decrappify.restore.RestoreRequest}), planes and multi-frame windows through the tiler, TIFF outputs, folder
 * batches and their report. Entry point: {@link io.github.decrappify.restore.Restorer}.
 */
package io.github.decrappify.restore;
