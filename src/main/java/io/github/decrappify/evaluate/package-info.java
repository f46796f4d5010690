/**
 * Scoring predictions against truths over files and folders: {@link io.github.decrappify.evaluate.Evaluation} pairs the images,
 * {@link io.github.decrappify.evaluate.EvaluationReport} holds the table, CSV and {@code --json} forms,
 * {@link io.github.decrappify.evaluate.EvaluationPlot} the plot. The metrics themselves are in {@code metrics}.
 */
package io.github.decrappify.evaluate;
