package io.github.decrappify.train.nogan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import io.github.decrappify.train.TrainingPair;

/** {@code generate-c}: saves the current generator's output on the training images for the critic (no steps). */
final class GeneratePhase extends NoGanPhase {

    GeneratePhase(NoGanTrainer run, NoGanTrainer.Phase plan, int index) {
        super(run, plan, index);
    }

    @Override
    boolean run(long after) throws IOException {
        run.announce(label(), "saving the current generator's output on the training images for the critic");
        Path dir = run.generatedDir(plan.cycle());
        List<TrainingPair> generated = run.makeGenerated(plan.cycle());
        run.say("Saved " + generated.size() + " generated images to " + dir);
        run.log.generated(label());
        run.state.phases.add(NoGanTrainer.summary(label(), NoGanTrainer.ordered("images", generated.size(), "folder",
                dir.toString())));
        return true;
    }
}
