package io.github.decrappify.train.nogan;

import io.github.decrappify.image.Json;
import io.github.decrappify.train.Metrics;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.net.Params;
import io.github.decrappify.train.Batch;
import io.github.decrappify.train.Checkpoint;
import io.github.decrappify.train.PatchSampler;
import io.github.decrappify.train.TrainLoop;
import io.github.decrappify.train.Trainer;
import io.github.decrappify.train.TrainingException;
import io.github.decrappify.train.TrainingListener;
import io.github.decrappify.train.TrainingPair;
import io.github.decrappify.train.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The NoGAN recipe (design.md) as a loop over phases, each a loop over steps:
 * <ol>
 * <li>{@code encoder}: the feature encoder, if the feature loss uses one;</li>
 * <li>{@code generate-0}, {@code critic-0}: with critic features, the critic first learns to tell real HR
 *     from the base model's output, so its features mean something to the generator;</li>
 * <li>{@code pretrain}: the generator on pixel + feature loss (one-cycle schedule);</li>
 * <li>per cycle c: {@code generate-c} (save generated images), {@code critic-c} (critic as a binary
 *     classifier until its target accuracy or budget), {@code gan-c} (before each generator update the
 *     critic trains until its loss is below the threshold; stop at the inflection point found by
 *     validation); cycles stop when one brings no better generator.</li>
 * </ol>
 * The best generator is the sharpest (FRC) whose PSNR stays within {@code maxPsnrDrop} of the
 * pre-GAN generator; the pre-GAN generator is kept for interpolation at export.
 *
 * <p>Each phase is a {@link NoGanPhase} owning its bookkeeping; phases with optimiser steps run on the
 * shared {@link TrainLoop}, which draws their batches (seeded by seed, phase and step, so a resumed run
 * sees what an uninterrupted one would have seen), reports steps to the listeners, polls cancellation
 * and checkpoints every {@code checkpointEvery} steps. This class runs the plan: it checkpoints at phase
 * ends too (atomically, so a SIGKILL loses at most one interval) and rolls a non-finite loss back to the
 * last checkpoint with the learning rates halved (at most {@link #MAX_ROLLBACKS} times). {@code log.csv}
 * (one line per step and validation) and the step times are listeners ({@link NoGanLog},
 * {@link StepTimes}); {@code summary.json} is written with each checkpoint.
 */
public final class NoGanTrainer {

    /** Draws a training batch (LR inputs, HR targets); {@link PatchSampler#sample} is one. */
    @FunctionalInterface
    public interface BatchSource extends TrainLoop.BatchSource<Batch> {}

    /**
     * @param crappifier makes LR for generated images when the data are HR only ({@code null} for pairs)
     */
    public record Data(List<TrainingPair> train, List<TrainingPair> validation, BatchSource batches, Crappifier crappifier) {}

    /**
     * What a run produced; {@code preGan} and {@code best} are generator weights (equal objects when the GAN gave
     * nothing better). {@code bestBlur} is the bar every validation was measured against: the best Gaussian-smoothed
     * bicubic on the validation images ({@link Validation#bestBlur}; FRC not measured, NaN).
     */
    public record Outcome(boolean completed, Params preGan, Params best, Metrics base, Metrics preGanMetrics,
            Metrics bestMetrics, String bestFrom, List<Map<String, Object>> phases, List<String> history,
            Map<String, Double> secondsPerStep, int rollbacks, double lrFactor, Metrics bestBlur) {}

    public static final String HISTORY_HEADER = "phase,step,kind,loss,l1,ssim,feature,adversarial,critic_loss,"
            + "critic_accuracy,reconstruction,lr,seconds,val_psnr,val_ssim,val_frc";
    public static final String LOG = "log.csv";
    public static final String SUMMARY = "summary.json";
    public static final int MAX_ROLLBACKS = 3;
    public static final double ROLLBACK_FACTOR = 0.5;
    static final String PREGAN = "pregan:";
    static final String BEST = "best:";
    static final String PROGRESS = "progress";
    /** The phase label of the base model's validation, the first of a run; the best blur is sent with it. */
    static final String BASE = "base";

    enum Kind { ENCODER, GENERATE, CRITIC, PRETRAIN, GAN }

    /** An entry of the plan: which phase, in which cycle. */
    record Phase(Kind kind, int cycle) {
        String label() {
            return switch (kind) {
                case ENCODER -> "encoder";
                case PRETRAIN -> "pretrain";
                default -> kind.name().toLowerCase(Locale.ROOT) + "-" + cycle;
            };
        }
    }

    final NoGanConfig cfg;
    final Data data;
    private final Path work;
    private final List<Phase> plan;
    private final List<NoGanPhase> phases = new ArrayList<>();
    private boolean allowGpu = true;
    private boolean bf16;

    // The run in progress; the phases read and update these.
    NoGanGraph graph;
    RunState state;
    Params preGan;
    Params best;
    TrainingListener events;
    TrainLoop loop;
    NoGanLog log;
    /** The best blur on the validation images: the same bar for every phase's validations. */
    private Metrics bestBlur;
    private List<TrainingPair> generated;
    private int generatedPhase = -1;

    public NoGanTrainer(NoGanConfig cfg, Data data, Path workDir) {
        if (data.validation().isEmpty()) {
            throw new IllegalArgumentException("NoGAN needs validation images (inflection point, best generator)");
        }
        this.cfg = cfg;
        this.data = data;
        this.work = workDir;
        this.plan = plan(cfg);
        for (int i = 0; i < plan.size(); i++) {
            Phase p = plan.get(i);
            phases.add(switch (p.kind()) {
                case ENCODER -> new EncoderPhase(this, p, i);
                case GENERATE -> new GeneratePhase(this, p, i);
                case CRITIC -> new CriticPhase(this, p, i);
                case PRETRAIN -> new PretrainPhase(this, p, i);
                case GAN -> new GanPhase(this, p, i);
            });
        }
    }

    public NoGanTrainer optAllowGpu(boolean allow) {
        allowGpu = allow;
        return this;
    }

    /** Mixed-precision bf16 on the CPU, as {@link io.github.decrappify.train.Trainer#optBf16}. */
    public NoGanTrainer optBf16(boolean on) {
        bf16 = on;
        return this;
    }

    /** The phases of a run with this configuration, in order. */
    static List<Phase> plan(NoGanConfig cfg) {
        List<Phase> p = new ArrayList<>();
        if (cfg.featureNet() == FeatureNet.ENCODER && cfg.featureWeight() > 0 && cfg.encoderSteps() > 0) {
            p.add(new Phase(Kind.ENCODER, 0));
        }
        if (cfg.featureNet() == FeatureNet.CRITIC && cfg.featureWeight() > 0 && cfg.pretrainSteps() > 0) {
            p.add(new Phase(Kind.GENERATE, 0));
            p.add(new Phase(Kind.CRITIC, 0));
        }
        if (cfg.pretrainSteps() > 0) {
            p.add(new Phase(Kind.PRETRAIN, 0));
        }
        for (int c = 1; c <= cfg.cycles(); c++) {
            p.add(new Phase(Kind.GENERATE, c));
            p.add(new Phase(Kind.CRITIC, c));
            p.add(new Phase(Kind.GAN, c));
        }
        return p;
    }

    /** Phase labels in order, e.g. {@code [generate-0, critic-0, pretrain, generate-1, critic-1, gan-1]}. */
    public List<String> phaseLabels() {
        return plan.stream().map(Phase::label).toList();
    }

    /**
     * Runs (or, with {@code resume}, continues) the recipe.
     *
     * @param base the base model's generator weights (ignored when resuming from a checkpoint)
     */
    public Outcome run(Params base, boolean resume, List<? extends TrainingListener> runListeners)
            throws IOException, TrainingException {
        Files.createDirectories(work);
        log = new NoGanLog(work.resolve(LOG));
        // The log and the step times see every event before the caller's listeners, as they did when inline.
        List<TrainingListener> all = new ArrayList<>(List.of(log, new StepTimes(() -> state)));
        all.addAll(runListeners);
        events = TrainingListener.of(all);
        loop = new TrainLoop(cfg.seed(), cfg.checkpointEvery(), events, (label, step) -> {
            state.step = step;
            checkpoint(label, step);
        });
        Map<String, String> config = configMeta();
        // The validation images are fixed for the run: the bar is computed once, the same after a resume.
        bestBlur = new Validation(data.validation()).bestBlur();
        Checkpoint ck = resume ? Checkpoint.read(work) : null;
        if (ck != null) {
            Map<String, String> saved = new LinkedHashMap<>(ck.meta());
            saved.remove(PROGRESS);
            if (!saved.equals(config)) {
                throw new TrainingException("the checkpoint in " + work + " was made with other settings; resume with the"
                        + " same options or use a new work folder (" + difference(saved, config) + ")");
            }
            if (RunState.fromYaml(ck.meta().get(PROGRESS)).done) {
                restoreWeightsAndState(ck);
                say("The run in " + work + " is complete; nothing left to train");
                return outcome(true);
            }
        }
        try (NoGanGraph g = new NoGanGraph(cfg, ck == null ? base : networkState(ck.state()), allowGpu, bf16)) {
            if (bf16) {
                say("Training in mixed precision: bf16 convolutions, fp32 weights, optimisers and losses");
            }
            graph = g;
            events.onBaseline(BASE, bestBlur, data.validation().size());
            if (ck == null) {
                state = new RunState();
                log.reset(List.of());
                graph.convergeSpectralNorm(30);
                try {
                    state.base = validate(BASE, 0);
                } catch (TrainLoop.Diverged d) {
                    throw new TrainingException("the base model gives non-finite output on the validation images");
                }
                say("Base model on the validation set: " + state.base);
                if (plan.stream().noneMatch(p -> p.kind() == Kind.PRETRAIN)) {
                    preGan = graph.generator();
                    best = preGan;
                    state.preGan = state.base;
                    state.best = state.base;
                }
                current().ifPresent(p -> p.load(Map.of()));
                checkpoint("start", 0);
            } else {
                restoreWeightsAndState(ck);
                say("Resuming " + plan.get(Math.min(state.phase, plan.size() - 1)).label() + " after step " + state.step
                        + " from " + work.resolve(Checkpoint.FILE));
            }
            while (true) {
                try {
                    if (!runPhases()) {
                        say("Stopped in " + plan.get(state.phase).label() + " after step " + state.step
                                + "; resume to continue (the checkpoint keeps both networks and the optimisers)");
                        return outcome(false);
                    }
                    break;
                } catch (TrainLoop.Diverged d) {
                    rollback(d);
                }
            }
            state.done = true;
            checkpoint("done", 0);
            say("Best generator: " + state.best + " (" + state.bestFrom + Trainer.versus(state.best.psnr(), bestBlur)
                    + "); base model: " + state.base
                    + "; pre-GAN: " + state.preGan);
            return outcome(true);
        } finally {
            graph = null;
        }
    }

    /** Runs the plan from the current phase; false when cancelled. */
    private boolean runPhases() throws TrainLoop.Diverged, IOException {
        while (state.phase < plan.size()) {
            Phase p = plan.get(state.phase);
            if (state.stopCycles && p.cycle() >= 1) {
                state.phases.add(summary(p.label(), ordered("skipped", "an earlier cycle did not improve validation")));
            } else if (!phases.get(state.phase).run(state.step)) {
                return false;
            }
            state.phase++;
            state.step = 0;
            current().ifPresent(next -> next.load(Map.of()));
            checkpoint(p.label() + " done", 0);
        }
        return true;
    }

    private java.util.Optional<NoGanPhase> current() {
        return state.phase < phases.size() ? java.util.Optional.of(phases.get(state.phase)) : java.util.Optional.empty();
    }

    // ---- what the phases share ----------------------------------------------------------------------

    /** Validates the generator, logs the result; a non-finite score diverges like a loss. */
    Metrics validate(String phase, long step) throws TrainLoop.Diverged {
        Metrics m = Metrics.of(graph::predict, data.validation());
        if (!m.finite()) {
            throw new TrainLoop.Diverged(phase + " validation at step " + step, step, Float.NaN);
        }
        events.onValidation(phase, step, m, data.validation().size());
        return m;
    }

    /** This cycle's generated images: made by its generate phase, read back (or made again) after a resume. */
    List<TrainingPair> generated(int cycle) throws IOException {
        if (generated != null && generatedPhase == cycle) {
            return generated;
        }
        List<GeneratedImages.Crop> crops = GeneratedImages.plan(data.train(), cfg.net().scale(), cfg.net().minMultiple(),
                cfg.generateImages(), cfg.seed() + cycle);
        generated = GeneratedImages.load(data.train(), crops, cfg.net().scale(), generatedDir(cycle));
        if (generated == null) {
            // The generator has not changed since generate-<cycle> (critic phases leave it alone): make them again.
            return makeGenerated(cycle);
        }
        generatedPhase = cycle;
        return generated;
    }

    /** Saves the current generator's output for cycle {@code cycle}'s critic. */
    List<TrainingPair> makeGenerated(int cycle) throws IOException {
        List<GeneratedImages.Crop> crops = GeneratedImages.plan(data.train(), cfg.net().scale(), cfg.net().minMultiple(),
                cfg.generateImages(), cfg.seed() + cycle);
        generated = GeneratedImages.make(graph, data.train(), data.crappifier(), crops, cfg.net().scale(),
                cfg.seed() + 1000L * cycle, generatedDir(cycle));
        generatedPhase = cycle;
        return generated;
    }

    Path generatedDir(int cycle) {
        return work.resolve("generated").resolve("cycle-" + cycle);
    }

    void announce(String phase, String what) {
        events.onPhase(phase, what);
    }

    void say(String message) {
        events.onMessage(message);
    }

    static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static Map<String, Object> summary(String phase, Map<String, ?> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase);
        m.putAll(values);
        return m;
    }

    // ---- checkpoints and roll-back ------------------------------------------------------------------

    private void rollback(TrainLoop.Diverged d) throws IOException, TrainingException {
        int rollbacks = state.rollbacks + 1;
        double factor = state.lrFactor * ROLLBACK_FACTOR;
        if (rollbacks > MAX_ROLLBACKS) {
            throw new TrainingException("loss became " + d.value() + " at " + d.where() + " again after " + MAX_ROLLBACKS
                    + " roll-backs with lower learning rates; lower the learning rates (and check the data), then resume");
        }
        Checkpoint ck = Checkpoint.read(work);
        graph.load(networkState(ck.state()));
        restoreWeightsAndState(ck);
        state.lrFactor = factor;
        state.rollbacks = rollbacks;
        say(String.format(Locale.ROOT, "Loss became %s at %s: rolled back to the checkpoint (%s, step %d) and"
                + " continue with learning rates x%.3g (roll-back %d of at most %d)", d.value(), d.where(),
                plan.get(Math.min(state.phase, plan.size() - 1)).label(), state.step, factor, rollbacks, MAX_ROLLBACKS));
        checkpoint("rollback", state.step);
    }

    private void checkpoint(String label, long step) throws IOException {
        Params all = graph.snapshot();
        putPrefixed(all, PREGAN, preGan);
        if (best != preGan) {
            putPrefixed(all, BEST, best);
        }
        state.phaseValues = new LinkedHashMap<>();
        current().ifPresent(p -> {
            p.saveWeights(all);
            p.save(state.phaseValues);
        });
        Map<String, String> meta = new LinkedHashMap<>(configMeta());
        meta.put(PROGRESS, state.toYaml());
        new Checkpoint(state.generatorSteps + state.criticSteps + state.encoderSteps, all, meta, log.lines()).write(work);
        Json.writeAtomically(work.resolve(SUMMARY), Json.sixDigitTree(summaryJson()));
        events.onCheckpoint(label, step, work);
    }

    static void putPrefixed(Params into, String prefix, Params p) {
        if (p != null) {
            p.asMap().forEach((k, v) -> into.put(prefix + k, v));
        }
    }

    private void restoreWeightsAndState(Checkpoint ck) throws IOException {
        state = RunState.fromYaml(ck.meta().get(PROGRESS));
        log.reset(ck.history());
        preGan = prefixed(ck.state(), PREGAN);
        Params b = prefixed(ck.state(), BEST);
        best = b != null ? b : preGan;
        current().ifPresent(p -> {
            p.load(state.phaseValues);
            p.loadWeights(ck.state());
        });
        generated = null;
        generatedPhase = -1;
    }

    static Params prefixed(Params all, String prefix) {
        Params p = new Params();
        all.asMap().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                p.put(k.substring(prefix.length()), v);
            }
        });
        return p.asMap().isEmpty() ? null : p;
    }

    /** A checkpoint's variables without the stored generator snapshots. */
    static Params networkState(Params all) {
        Params p = new Params();
        all.asMap().forEach((k, v) -> {
            if (!k.startsWith(PREGAN) && !k.startsWith(BEST) && !k.startsWith(GanPhase.PHASE_BEST)) {
                p.put(k, v);
            }
        });
        return p;
    }

    // ---- reporting ----------------------------------------------------------------------------------

    private Map<String, String> configMeta() {
        Map<String, String> m = new LinkedHashMap<>();
        cfg.describe().forEach((k, v) -> m.put(k, String.valueOf(v)));
        m.put("training_images", String.valueOf(data.train().size()));
        m.put("validation_images", String.valueOf(data.validation().size()));
        return m;
    }

    private static String difference(Map<String, String> saved, Map<String, String> now) {
        List<String> d = new ArrayList<>();
        now.forEach((k, v) -> {
            if (!v.equals(saved.get(k))) {
                d.add(k + ": " + saved.get(k) + " -> " + v);
            }
        });
        return String.join("; ", d);
    }

    private Map<String, Object> summaryJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("done", state.done);
        m.put("phase", state.phase < plan.size() ? plan.get(state.phase).label() : "done");
        m.put("step", state.step);
        m.put("base", state.base == null ? null : state.base.toMap());
        m.put("pre_gan", state.preGan == null ? null : state.preGan.toMap());
        m.put("best", state.best == null ? null : state.best.toMap());
        m.put("best_from", state.bestFrom);
        m.put("best_blur", ordered("psnr", Metrics.round(bestBlur.psnr(), 4), "ssim", Metrics.round(bestBlur.ssim(), 5)));
        m.put("phases", state.phases);
        m.put("seconds_per_step", state.secondsPerStep());
        m.put("rollbacks", state.rollbacks);
        m.put("lr_factor", state.lrFactor);
        return m;
    }

    private Outcome outcome(boolean completed) {
        return new Outcome(completed, preGan, best, state.base, state.preGan, state.best, state.bestFrom,
                List.copyOf(state.phases), List.copyOf(log.lines()), state.secondsPerStep(), state.rollbacks, state.lrFactor,
                bestBlur);
    }
}
