/**
 * Image-quality metrics on float planes, each with its reference values tested: PSNR, SSIM, NRMSE, FRC, registration
 * (phase correlation; LR to HR by a forward-model fit), the bicubic baselines, and
 * {@link io.github.decrappify.metrics.MetricReport} combining them for one pair.
 */
package io.github.decrappify.metrics;
