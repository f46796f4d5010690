/**
 * The Fiji side: SciJava commands under Plugins › Decrappify, thin front ends over the engines the
 * command line uses (they take and return {@code ij.ImagePlus}).
 *
 * <table>
 * <caption>Commands and their macro keys</caption>
 * <tr><th>Menu</th><th>Class</th><th>Macro keys (= parameter names)</th></tr>
 * <tr><td>Restore...</td><td>{@link io.github.decrappify.fiji.RestoreCommand}</td>
 *     <td>image, model, tile, overlap, device, pixels, tta, qc → new image (with tta: + uncertainty; qc: + QC map)</td></tr>
 * <tr><td>Restore folder...</td><td>{@link io.github.decrappify.fiji.RestoreFolderCommand}</td>
 *     <td>input, output, model, tile, overlap, device, pixels, skip, overwrite, tta, qc, qcfolder</td></tr>
 * <tr><td>Crappify...</td><td>{@link io.github.decrappify.fiji.CrappifyCommand}</td>
 *     <td>image, preset, scale, seed, random → new image</td></tr>
 * <tr><td>Evaluate...</td><td>{@link io.github.decrappify.fiji.EvaluateCommand}</td>
 *     <td>prediction, truth, lr, scale, register, fit, margin, csv, plot → results table + plot</td></tr>
 * <tr><td>Train...</td><td>{@link io.github.decrappify.fiji.TrainCommand}</td>
 *     <td>hr, lr, validation, scale, preset, steps, patch, batch, rate, validate, seed, device, bundle, resume</td></tr>
 * <tr><td>Models...</td><td>{@link io.github.decrappify.fiji.ModelsCommand}</td>
 *     <td>action (list, show, validate, import, export), model, zip, overwrite, device → cover image for show</td></tr>
 * <tr><td>Fine-tune (NoGAN)...</td><td>{@link io.github.decrappify.fiji.FineTuneCommand}</td>
 *     <td>model, hr, lr, validation, bundle, quick, pretrain, critic, gan, cycles, patch, batch, features, threshold, adversarial,
 *     ragan, selfsupervised, alpha, device, seed, resume, overwrite</td></tr>
 * </table>
 *
 * <p>Menus, macros and the Recorder reach these commands through the ImageJ 1 bridge in
 * {@code io.github.decrappify.fiji.ij1} (one {@code plugins.config} line per command; Fiji's legacy
 * bridge is not involved), with the parameter names as keys, e.g.
 * {@code run("Decrappify Restore...", "model=em-x4-unet-s tile=0 overlap=-1 device=auto pixels=[32-bit float]");}
 * on the active image. Values with spaces go in brackets; a boolean is true when its key is present
 * ({@code skip}) and false when it is absent. {@code tile=0} and {@code overlap=-1} mean "as the model
 * bundle says".
 *
 * <p>Failures (bad image, unknown model, no TensorFlow runtime, ...) are one line in the log (and a
 * dialog when Fiji has a window); the command is canceled with that line as the reason and a running
 * macro is aborted, so a batch never carries on without its output. Esc stops restoring between tiles
 * and training after a checkpoint.
 */
package io.github.decrappify.fiji;
