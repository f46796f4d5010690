package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.metrics.Baselines;
import io.github.decrappify.metrics.Ssim;
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

    /**
     * The bar a model has to clear on this set: mean PSNR and SSIM of the best Gaussian-smoothed bicubic
     * upsampling of each LR input (the sigma chosen per image for PSNR against its truth, as the bundle's
     * {@code smoothed_bicubic_*} scores; multi-frame inputs use their centre frame). It does not depend on
     * the network, so a run computes it once. FRC is not measured (NaN); an empty set gives NaN.
     */
    public Metrics bestBlur() {
        double psnr = 0;
        double ssim = 0;
        for (TrainingPair p : pairs) {
            FloatPlane lr = p.lr().channels() == 1 ? p.lr() : p.lr().channel(p.lr().channels() / 2);
            FloatPlane truth = p.hr().channels() == 1 ? p.hr() : p.hr().channel(p.hr().channels() / 2);
            Baselines.Smoothed s = Baselines.bestSmoothedBicubic(lr, truth, truth.width() / lr.width(), 1.0);
            psnr += s.psnr();
            ssim += Ssim.mean(truth, s.image(), 1.0);
        }
        return pairs.isEmpty() ? new Metrics(Double.NaN, Double.NaN, Double.NaN)
                : new Metrics(psnr / pairs.size(), ssim / pairs.size(), Double.NaN);
    }
}
