/**
 * Model bundles: the bioimage.io-style folder or {@code .zip} that carries a trained Decrappify model.
 *
 * <p>Entry points: {@link io.github.decrappify.model.ModelStore} resolves a {@code MODEL} argument and
 * imports/exports bundles; {@link io.github.decrappify.model.ModelBundle} opens and validates one;
 * {@link io.github.decrappify.model.BundleWriter} creates one from a SavedModel and a
 * {@link io.github.decrappify.model.BundleSpec}. Everything read from a bundle is treated as untrusted:
 * zips go through {@link io.github.decrappify.model.SafeZip}, graphs through
 * {@link io.github.decrappify.model.OpAllowList}, YAML through {@link io.github.decrappify.model.RdfYaml}.
 */
package io.github.decrappify.model;
