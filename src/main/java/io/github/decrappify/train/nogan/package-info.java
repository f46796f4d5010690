/**
 * NoGAN fine-tuning of a bundle's generator against a critic, as phases on the training loop (encoder, generate, critic,
 * pretrain, GAN), with its own graph, logs, export and model card. Entry point: {@link io.github.decrappify.train.nogan.FineTuneJob}.
 */
package io.github.decrappify.train.nogan;
