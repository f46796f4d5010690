package io.github.decrappify.train;

import java.util.List;

/**
 * A fixed held-out set of (LR input, HR truth) pairs, made once with a fixed seed so that every
 * validation of a run, and of a resumed run, sees the same inputs. Sizes are multiples of the
 * network's size multiple (LR) so whole images run in one pass.
 */
public final class Validation {

    private final List<TrainingPair> pairs;

    public Validation(List<TrainingPair> pairs) {
        for (TrainingPair p : pairs) {
            if (!p.paired()) {
                throw new IllegalArgumentException("validation pair " + p.name() + " lacks its LR input");
            }
        }
        this.pairs = List.copyOf(pairs);
    }

    public List<TrainingPair> pairs() {
        return pairs;
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    public int size() {
        return pairs.size();
    }

    /** Mean PSNR (data range 1 on normalised images) and mean SSIM over the set; FRC is not measured (NaN). */
    public Metrics run(TrainGraph graph) {
        return Metrics.of(graph::predict, pairs, false);
    }
}
