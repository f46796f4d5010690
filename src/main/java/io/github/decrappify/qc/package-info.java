/**
 * Where not to trust a restoration: the data-consistency map ({@link io.github.decrappify.qc.DataConsistency}: the
 * output degraded back and compared with the input, RSE/RSP per plane in a {@link io.github.decrappify.qc.QcTable}) and
 * test-time augmentation ({@link io.github.decrappify.qc.TestTimeAugmentation} over the eight {@link io.github.decrappify.qc.D4} flips).
 */
package io.github.decrappify.qc;
