/**
 * Restartable block-wise restoration of large volumes into OME-Zarr: the block plan and layout, the manifest that lets a
 * killed run resume ({@link io.github.decrappify.volume.Manifest}, {@link io.github.decrappify.volume.InputFingerprint}), and the
 * block and merge tasks shared by the local run ({@link io.github.decrappify.volume.VolumeRestore}) and Spark.
 */
package io.github.decrappify.volume;
