/**
 * Running TensorFlow: natives extracted and registered ({@link io.github.decrappify.runtime.TensorFlowNatives}), a bundle's
 * SavedModel loaded on a {@link io.github.decrappify.runtime.Device} and precision ({@link io.github.decrappify.runtime.LoadedModel},
 * {@link io.github.decrappify.runtime.BundleModel}), and a bundle validated by running its test tensors. Depends on
 * {@code model}, never the reverse.
 */
package io.github.decrappify.runtime;
