package io.github.decrappify.train.nogan;

import io.github.decrappify.train.StepEvent;
import io.github.decrappify.train.TrainingListener;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Step times for the seconds-per-step report, as a listener: totals by kind ({@code encoder},
 * {@code critic}, {@code generator}; GAN-phase steps as {@code gan_critic}, {@code gan_generator}) kept in
 * the run's state, so they survive resume and roll-back with it. Each kind's first step in this
 * process is left out: it includes building that part of the graph.
 */
final class StepTimes implements TrainingListener {

    private final Supplier<RunState> state;
    private final Set<String> warm = new HashSet<>();

    StepTimes(Supplier<RunState> state) {
        this.state = state;
    }

    @Override
    public void onStep(StepEvent e) {
        String kind = e.phase().startsWith("gan-") ? "gan_" + e.kind() : e.kind();
        if (!warm.add(kind)) {
            state.get().time(kind, e.seconds());
        }
    }
}
