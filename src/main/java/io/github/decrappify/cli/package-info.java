/**
 * The command line ({@code decrappify restore|crappify|evaluate|train|fine-tune|models|bench}): picocli commands that check
 * their options (exit code 2, one line naming the option) and call the same engines as Fiji. Entry point:
 * {@link io.github.decrappify.cli.Main#execute}.
 */
package io.github.decrappify.cli;
