package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;
import java.util.List;

/**
 * A fixed held-out set of (LR input, HR truth) pairs, made once with a fixed seed so that every
 * validation of a run, and of a resumed run, sees the same inputs. Sizes are multiples of the
 * network's size multiple (LR) so whole images run in one pass.
 */
public final class Validation {

    /** Mean PSNR (data range 1 on normalised images) and mean SSIM over the set. */
    public record Result(double psnr, double ssim, int images) {}

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

    public Result run(TrainGraph graph) {
        double psnr = 0;
        double ssim = 0;
        for (TrainingPair p : pairs) {
            FloatPlane lr = p.lr();
            float[] out = graph.predict(lr.data(), 1, lr.height(), lr.width());
            FloatPlane pred = new FloatPlane(p.hr().width(), p.hr().height(), out);
            FloatPlane truth = p.hr().channels() == 1 ? p.hr() : p.hr().channel(p.hr().channels() / 2);
            psnr += io.github.decrappify.metrics.Psnr.of(truth, pred, 1.0);
            ssim += io.github.decrappify.metrics.Ssim.mean(truth, pred, 1.0);
        }
        return new Result(psnr / pairs.size(), ssim / pairs.size(), pairs.size());
    }
}
