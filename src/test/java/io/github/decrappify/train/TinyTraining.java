package io.github.decrappify.train;

import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.restore.FrameWindow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A small, fast training set-up shared by the training tests and their child process. */
final class TinyTraining {
    private TinyTraining() {}

    static final UNetConfig NET = new UNetConfig(2, 1, new int[] {8, 16}, true, 4, 4);

    static TrainConfig config(int steps) {
        return new TrainConfig(NET, 16, 2, steps, 1e-3f, 5, 0.1f, 10, 5, 7, 1);
    }

    static Trainer trainer(int steps, Path work) {
        PatchSampler sampler = new PatchSampler(data(), TrainJob.degrader(CRAPPIFIER), 2, 16, 1);
        return new Trainer(config(steps), sampler, validation(), work).optAllowGpu(false);
    }

    /** {@link #trainer} for a 3-frame model: each sample is a plane with its two neighbours as channels. */
    static Trainer multiFrameTrainer(int steps, Path work) {
        UNetConfig net = UNetConfig.unetS(2, 3);
        TrainConfig cfg = new TrainConfig(net, 16, 2, steps, 2e-4f, 5, 0.1f, 10, 5, 7, 1);
        List<TrainingPair> data = new ArrayList<>();
        List<TrainingPair> planes = data();
        for (int k = 0; k < planes.size(); k++) {
            FloatPlane[] three = new FloatPlane[3];
            for (int j = 0; j < 3; j++) {
                three[j] = planes.get(FrameWindow.mirror(k + j - 1, planes.size())).hr();
            }
            data.add(new TrainingPair("f" + k, TrainingImages.interleave(three), null));
        }
        FloatPlane v = data.get(1).hr();
        Validation val = new Validation(List.of(new TrainingPair("v", v,
                TrainJob.degradeChannels(CRAPPIFIER, v, CRAPPIFIER.params().typicalLevel(), new Random(9)))));
        PatchSampler sampler = new PatchSampler(data, TrainJob.degrader(CRAPPIFIER), 2, 16, 3);
        return new Trainer(cfg, sampler, val, work).optAllowGpu(false);
    }

    private static final Crappifier CRAPPIFIER = new Crappifier(Presets.em(2));

    /** The one validation pair of {@link #trainer}: the first image, degraded with a fixed seed. */
    static Validation validation() {
        FloatPlane hr = data().get(0).hr();
        return new Validation(List.of(new TrainingPair("v", hr,
                CRAPPIFIER.apply(hr, CRAPPIFIER.params().typicalLevel(), new Random(9)))));
    }

    private static List<TrainingPair> data() {
        List<TrainingPair> data = new ArrayList<>();
        Random r = new Random(2);
        for (int k = 0; k < 3; k++) {
            float[] d = new float[96 * 96];
            double f = 0.1 + 0.1 * k;
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (0.5 + 0.4 * Math.sin(f * (i % 96)) * Math.cos(0.7 * f * (i / 96)) + 0.02 * r.nextGaussian());
            }
            data.add(new TrainingPair("t" + k, new FloatPlane(96, 96, d), null));
        }
        return data;
    }
}
