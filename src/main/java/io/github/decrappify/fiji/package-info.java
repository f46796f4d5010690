/**
 * The Fiji side: SciJava commands under Plugins › Decrappify, thin front ends over the engines the
 * command line uses (they take and return {@code ij.ImagePlus}).
 *
 * <table>
 * <caption>Commands and their macro keys</caption>
 * <tr><th>Menu</th><th>Class</th><th>Macro keys (= parameter names)</th></tr>
 * <tr><td>Restore...</td><td>{@link io.github.decrappify.fiji.RestoreCommand}</td>
 *     <td>image, model, tile, overlap, device, pixels → new image</td></tr>
 * <tr><td>Restore folder...</td><td>{@link io.github.decrappify.fiji.RestoreFolderCommand}</td>
 *     <td>input, output, model, tile, overlap, device, pixels, skip, overwrite</td></tr>
 * <tr><td>Crappify...</td><td>{@link io.github.decrappify.fiji.CrappifyCommand}</td>
 *     <td>image, preset, scale, seed, random → new image</td></tr>
 * <tr><td>Train...</td><td>{@link io.github.decrappify.fiji.TrainCommand}</td>
 *     <td>hr, lr, validation, scale, preset, steps, patch, batch, rate, validate, seed, device, bundle, resume</td></tr>
 * <tr><td>Fine-tune (NoGAN)...</td><td>{@link io.github.decrappify.fiji.FineTuneCommand}</td>
 *     <td>model, hr, lr, validation, bundle, quick, pretrain, critic, gan, cycles, patch, batch, features, threshold, adversarial,
 *     ragan, selfsupervised, alpha, device, seed, resume, overwrite</td></tr>
 * </table>
 *
 * <p>In Fiji, the legacy bridge runs these from macros with the parameter names as keys and records
 * them the same way, e.g.
 * {@code run("Restore...", "model=em-x4-unet-s tile=0 overlap=-1 device=auto pixels=[32-bit float]");}
 * on the active image. Values with spaces go in brackets; a boolean is true when its key is present
 * ({@code skip}). {@code tile=0} and {@code overlap=-1} mean "as the model bundle says".
 *
 * <p>Failures (bad image, unknown model, no TensorFlow runtime, ...) are one line in the log (and a
 * dialog when Fiji has a window); the command is canceled with that line as the reason and a running
 * macro is aborted, so a batch never carries on without its output. Esc stops restoring between tiles
 * and training after a checkpoint.
 */
package io.github.decrappify.fiji;
