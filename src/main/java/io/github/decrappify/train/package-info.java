/**
 * Supervised and self-supervised (blind-spot) training of the generator: the one training loop
 * ({@link io.github.decrappify.train.TrainLoop} with {@link io.github.decrappify.train.TrainingListener}s), data (pairs, patches,
 * augmentation, degradation), losses, checkpoints, and export to a bundle with its model card
 * ({@link io.github.decrappify.train.ModelExport}, {@link io.github.decrappify.train.TrainingCard}). Entry point: {@link io.github.decrappify.train.TrainJob}.
 */
package io.github.decrappify.train;
