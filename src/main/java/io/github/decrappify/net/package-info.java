/**
 * The networks as TensorFlow graphs built block by block: the unet-s generator ({@link io.github.decrappify.net.UNet}) and the
 * critic ({@link io.github.decrappify.net.Critic}), their configurations, variables and parameter sets, and SavedModel export.
 */
package io.github.decrappify.net;
