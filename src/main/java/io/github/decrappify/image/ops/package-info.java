/**
 * Operations on in-memory float planes: Gaussian filters, FFT, resampling, and the in-memory percentiles and percentile
 * normalisation used by training, crappifying and evaluation ({@link io.github.decrappify.image.ops.Percentiles}; whole stacks
 * streamed: {@link io.github.decrappify.image.StackPercentiles}).
 */
package io.github.decrappify.image.ops;
