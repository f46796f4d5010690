/**
 * Making training inputs from high-resolution images: the {@link io.github.decrappify.crappify.Crappifier} (blur, downsampling,
 * Poisson-Gaussian noise), its presets and YAML files, and fitting its noise and blur to real acquisitions.
 */
package io.github.decrappify.crappify;
