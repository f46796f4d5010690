/**
 * The ImageJ 1 side of the Fiji plugin: how menus, macros and the Recorder reach the SciJava commands
 * of {@code io.github.decrappify.fiji}, and how Decrappify's TensorFlow stays apart from other plugins'.
 *
 * <ul>
 * <li>{@code plugins.config} (in the plugin jar {@code plugins/Decrappify_-<version>.jar}) lists one menu
 *     entry per command, each running {@link io.github.decrappify.fiji.ij1.CommandPlugIn} with the
 *     command's class name;</li>
 * <li>{@link io.github.decrappify.fiji.ij1.CommandPlugIn} reads macro options or shows a dialog, records,
 *     and runs the command in Fiji's SciJava context (or one of its own);</li>
 * <li>{@link io.github.decrappify.fiji.ij1.Engines} loads the command classes from {@code lib/decrappify/}
 *     in a child-first class loader, sharing only ImageJ 1, SciJava, ImgLib2 and the JDK with Fiji.</li>
 * </ul>
 * This package is the only one on Fiji's class path; it must not use any other Decrappify class.
 */
package io.github.decrappify.fiji.ij1;
