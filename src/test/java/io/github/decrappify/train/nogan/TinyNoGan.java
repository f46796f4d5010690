package io.github.decrappify.train.nogan;

import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.net.Params;
import io.github.decrappify.train.Crops;
import io.github.decrappify.train.PatchSampler;
import io.github.decrappify.train.TrainGraph;
import io.github.decrappify.train.TrainJob;
import io.github.decrappify.train.TrainingPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small, fast NoGAN set-up on the real EM section of test-data (×2, tiny generator and critic),
 * shared by the trainer tests and their child process.
 */
final class TinyNoGan {
    private TinyNoGan() {}

    static final int PATCH = 16;

    static NoGanConfig.Builder config() {
        return NoGanConfig.builder(NoGanFixtures.TINY).optCritic(4, 2, true, true).optPatch(PATCH, 4)
                .optEncoder(0, 2e-4f).optPretrain(12, 1e-3f).optPretrainValidateEvery(6)
                .optCriticPretrain(40, 2e-3f, 0.95).optGan(30, 1e-4f, 5, 0.65f).optInflection(4, 3, 3.0)
                .optCycles(2).optGenerateImages(6).optCheckpointEvery(5).optThreads(1).optSeed(3);
    }

    /** The configuration of the SIGKILL test: one cycle, shorter critic pretraining. */
    static NoGanConfig resumeConfig() {
        return config().optCycles(1).optCriticPretrain(20, 2e-3f, 0.95).optGan(20, 1e-4f, 5, 0.65f).build();
    }

    /** Four 96² HR crops of the EM section for training, one 64² crop (with synthetic LR) for validation. */
    static NoGanTrainer.Data data() {
        return data(null);
    }

    static NoGanTrainer.Data data(NoGanTrainer.BatchSource override) {
        FloatPlane em = TrainJob.normalise(new FloatPlane(256, 256,
                (float[]) NoGanFixtures.em().getPixels()));
        List<TrainingPair> train = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            train.add(new TrainingPair("em" + i, Crops.crop(em, (i % 2) * 96, (i / 2) * 96, 96, 96), null));
        }
        Crappifier c = new Crappifier(Presets.em(2));
        FloatPlane valHr = Crops.crop(em, 192, 192, 64, 64);
        List<TrainingPair> val = List.of(new TrainingPair("val", valHr, c.apply(valHr, c.params().typicalLevel(), new Random(9))));
        PatchSampler sampler = new PatchSampler(train, TrainJob.degrader(c), 2, PATCH, 1);
        return new NoGanTrainer.Data(train, val, override != null ? override : sampler::sample, c);
    }

    /** The tiny generator's initial weights (the "base model"). */
    static Params base() {
        try (TrainGraph g = new TrainGraph(NoGanFixtures.TINY, null, 3, 0f, 1, false)) {
            return TrainGraph.weightsOnly(g.snapshot());
        }
    }
}
