package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Metrics;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.net.Params;
import io.github.decrappify.train.Batch;
import io.github.decrappify.train.Checkpoint;
import io.github.decrappify.train.PatchSampler;
import io.github.decrappify.train.Schedule;
import io.github.decrappify.train.TrainingException;
import io.github.decrappify.train.TrainingPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

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
 * <p>State is checkpointed to {@code workDir} every {@code checkpointEvery} steps and at phase ends
 * (atomically, so a SIGKILL loses at most one interval); a non-finite loss rolls back to the last
 * checkpoint with the learning rates halved (at most {@link #MAX_ROLLBACKS} times). Batches depend only
 * on (seed, phase, step), so a resumed run sees what an uninterrupted one would have seen. The run also
 * writes {@code log.csv} (one line per step and validation) and {@code summary.json}.
 */
public final class NoGanTrainer {

    /** Draws a training batch (LR inputs, HR targets); {@link PatchSampler#sample} is one. */
    @FunctionalInterface
    public interface BatchSource {
        Batch sample(int n, Random rng);
    }

    /**
     * @param crappifier makes LR for generated images when the data are HR only ({@code null} for pairs)
     */
    public record Data(List<TrainingPair> train, List<TrainingPair> validation, BatchSource batches, Crappifier crappifier) {}

    /** What a run produced; {@code preGan} and {@code best} are generator weights (equal objects when the GAN gave nothing better). */
    public record Outcome(boolean completed, Params preGan, Params best, Metrics base, Metrics preGanMetrics,
            Metrics bestMetrics, String bestFrom, List<Map<String, Object>> phases, List<String> history,
            Map<String, Double> secondsPerStep, int rollbacks, double lrFactor) {}

    public static final String HISTORY_HEADER = "phase,step,kind,loss,l1,ssim,feature,adversarial,critic_loss,"
            + "critic_accuracy,reconstruction,lr,seconds,val_psnr,val_ssim,val_frc";
    public static final String LOG = "log.csv";
    public static final String SUMMARY = "summary.json";
    public static final int MAX_ROLLBACKS = 3;
    public static final double ROLLBACK_FACTOR = 0.5;
    static final String PREGAN = "pregan:";
    static final String BEST = "best:";
    static final String PHASE_BEST = "phasebest:";
    static final String PROGRESS = "progress";
    /** Standard deviation of the noise the denoising encoder removes. */
    static final float ENCODER_NOISE = 0.05f;
    static final int ACCURACY_WINDOW = 10;

    enum Kind { ENCODER, GENERATE, CRITIC, PRETRAIN, GAN }

    record Phase(Kind kind, int cycle) {
        String label() {
            return switch (kind) {
                case ENCODER -> "encoder";
                case PRETRAIN -> "pretrain";
                default -> kind.name().toLowerCase(Locale.ROOT) + "-" + cycle;
            };
        }
    }

    private static final class Diverged extends Exception {
        private static final long serialVersionUID = 1L;
        final String where;
        final float value;

        Diverged(String where, float value) {
            super(where);
            this.where = where;
            this.value = value;
        }
    }

    private static final class Cancelled extends Exception {
        private static final long serialVersionUID = 1L;
    }

    @FunctionalInterface
    private interface StepFn {
        /** Runs one step; returns true when the phase has reached its goal early. */
        boolean step(long step) throws Diverged, IOException;
    }

    private final NoGanConfig cfg;
    private final Data data;
    private final Path work;
    private final List<Phase> plan;
    private boolean allowGpu = true;

    private NoGanGraph graph;
    private RunState state;
    private List<String> history;
    private Params preGan;
    private Params best;
    private Params phaseBest;
    private List<TrainingPair> generated;
    private int generatedPhase = -1;
    private List<NoGanListener> listeners = List.of();
    /** Step kinds whose ops have run once in this process: the first run of an op includes graph set-up. */
    private final java.util.Set<String> warm = new java.util.HashSet<>();

    public NoGanTrainer(NoGanConfig cfg, Data data, Path workDir) {
        if (data.validation().isEmpty()) {
            throw new IllegalArgumentException("NoGAN needs validation images (inflection point, best generator)");
        }
        this.cfg = cfg;
        this.data = data;
        this.work = workDir;
        this.plan = plan(cfg);
    }

    public NoGanTrainer optAllowGpu(boolean allow) {
        allowGpu = allow;
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
    public Outcome run(Params base, boolean resume, List<NoGanListener> runListeners) throws IOException, TrainingException {
        listeners = List.copyOf(runListeners);
        Files.createDirectories(work);
        Map<String, String> config = configMeta();
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
        try (NoGanGraph g = new NoGanGraph(cfg, ck == null ? base : networkState(ck.state()), allowGpu)) {
            graph = g;
            if (ck == null) {
                state = new RunState();
                history = new ArrayList<>();
                graph.convergeSpectralNorm(30);
                rewriteLog();
                try {
                    state.base = validate("base", 0);
                } catch (Diverged d) {
                    throw new TrainingException("the base model gives non-finite output on the validation images");
                }
                say("Base model on the validation set: " + state.base);
                if (plan.stream().noneMatch(p -> p.kind() == Kind.PRETRAIN)) {
                    preGan = graph.generator();
                    best = preGan;
                    state.preGan = state.base;
                    state.best = state.base;
                }
                checkpoint("start", 0);
            } else {
                restoreWeightsAndState(ck);
                rewriteLog();
                say("Resuming " + plan.get(Math.min(state.phase, plan.size() - 1)).label() + " after step " + state.step
                        + " from " + work.resolve(Checkpoint.FILE));
            }
            while (true) {
                try {
                    runPhases();
                    break;
                } catch (Diverged d) {
                    rollback(d);
                } catch (Cancelled c) {
                    say("Stopped in " + plan.get(state.phase).label() + " after step " + state.step
                            + "; resume to continue (the checkpoint keeps both networks and the optimisers)");
                    return outcome(false);
                }
            }
            state.done = true;
            checkpoint("done", 0);
            say("Best generator: " + state.best + " (" + state.bestFrom + "); base model: " + state.base
                    + "; pre-GAN: " + state.preGan);
            return outcome(true);
        } finally {
            graph = null;
        }
    }

    private void runPhases() throws Diverged, Cancelled, IOException, TrainingException {
        while (state.phase < plan.size()) {
            Phase p = plan.get(state.phase);
            if (state.stopCycles && p.cycle() >= 1) {
                state.phases.add(summary(p, ordered("skipped", "an earlier cycle did not improve validation")));
            } else {
                switch (p.kind()) {
                    case ENCODER -> encoder(p);
                    case GENERATE -> generate(p);
                    case CRITIC -> critic(p);
                    case PRETRAIN -> pretrain(p);
                    case GAN -> gan(p);
                    default -> throw new IllegalStateException(p.toString());
                }
            }
            state.phase++;
            state.resetPhase();
            checkpoint(p.label() + " done", 0);
        }
    }

    // ---- phases -------------------------------------------------------------------------------------

    private void encoder(Phase p) throws Diverged, Cancelled, IOException {
        announce(p, "training the feature encoder (denoising autoencoder on HR patches), " + cfg.encoderSteps() + " steps");
        Schedule schedule = new Schedule(cfg.encoderLr(), Math.max(1, cfg.encoderSteps() / 10), cfg.encoderSteps());
        float[] last = {Float.NaN};
        loop(p, cfg.encoderSteps(), step -> {
            Batch b = data.batches().sample(cfg.batch(), rng(step));
            Random r = new Random(stepSeed(cfg.seed() ^ 0x3C6EF372L, state.phase, step));
            float[] noisy = b.target().clone();
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] += ENCODER_NOISE * (float) r.nextGaussian();
            }
            float lr = (float) (schedule.at(step) * state.lrFactor);
            long t0 = System.nanoTime();
            int hr = b.height() * b.scale();
            float loss = graph.encoderStep(b.target(), noisy, b.n(), hr, hr, lr, ++state.encoderSteps);
            double sec = seconds(t0);
            requireFinite(p, step, loss);
            last[0] = loss;
            time(StepEvent.ENCODER, sec);
            record(p, step, StepEvent.ENCODER, loss, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Double.NaN,
                    loss, lr, sec, null);
            event(p, step, cfg.encoderSteps(), StepEvent.ENCODER, loss, Double.NaN, lr, sec);
            return false;
        });
        state.phases.add(summary(p, ordered("steps", state.step, "reconstruction_loss", (double) last[0])));
    }

    private void generate(Phase p) throws IOException {
        announce(p, "saving the current generator's output on the training images for the critic");
        Path dir = generatedDir(p.cycle());
        List<GeneratedImages.Crop> crops = GeneratedImages.plan(data.train(), cfg.net().scale(), cfg.net().minMultiple(),
                cfg.generateImages(), cfg.seed() + p.cycle());
        generated = GeneratedImages.make(graph, data.train(), data.crappifier(), crops, cfg.net().scale(),
                cfg.seed() + 1000L * p.cycle(), dir);
        generatedPhase = p.cycle();
        say("Saved " + generated.size() + " generated images to " + dir);
        record(p, 0, "generate", Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Double.NaN, Float.NaN,
                Float.NaN, 0, null);
        state.phases.add(summary(p, ordered("images", generated.size(), "folder", dir.toString())));
    }

    private void critic(Phase p) throws Diverged, Cancelled, IOException {
        announce(p, String.format(Locale.ROOT, "pretraining the critic (real HR vs generated) to %.0f%% accuracy, at most"
                + " %d steps", 100 * cfg.criticAccuracy(), cfg.criticSteps()));
        ensureGenerated(p.cycle());
        PatchSampler sampler = new PatchSampler(generated, null, 1, cfg.patchHr(), 1);
        int warmup = Math.max(1, Math.min(20, cfg.criticSteps() / 10));
        long minSteps = Math.max(1, Math.min(ACCURACY_WINDOW, cfg.criticSteps() / 2));
        loop(p, cfg.criticSteps(), step -> {
            Batch b = sampler.sample(cfg.batch(), rng(step));
            float lr = (float) (cfg.criticLr() * Math.min(1.0, step / (double) warmup) * state.lrFactor);
            long t0 = System.nanoTime();
            NoGanGraph.CriticLoss l = graph.criticStep(b.target(), b.input(), b.n(), b.height(), b.width(), lr,
                    ++state.criticSteps, NoGanGraph.PRETRAIN_BETAS);
            double sec = seconds(t0);
            requireFinite(p, step, l.finite() ? l.loss() : Float.NaN);
            double acc = l.accuracy(cfg.relativistic());
            state.accuracies.add(acc);
            if (state.accuracies.size() > ACCURACY_WINDOW) {
                state.accuracies.remove(0);
            }
            time(StepEvent.CRITIC, sec);
            record(p, step, StepEvent.CRITIC, l.loss(), Float.NaN, Float.NaN, Float.NaN, Float.NaN, l.loss(), acc,
                    l.reconstruction(), lr, sec, null);
            event(p, step, cfg.criticSteps(), StepEvent.CRITIC, l.loss(), acc, lr, sec);
            if (step >= minSteps && runningAccuracy() >= cfg.criticAccuracy()) {
                state.phaseStop = String.format(Locale.ROOT, "target accuracy %.2f reached", cfg.criticAccuracy());
                return true;
            }
            return false;
        });
        if (state.phaseStop == null) {
            state.phaseStop = "step budget reached";
        }
        say(String.format(Locale.ROOT, "Critic after %d steps: accuracy %.3f (last %d batches); %s", state.step,
                runningAccuracy(), state.accuracies.size(), state.phaseStop));
        state.phases.add(summary(p, ordered("steps", state.step, "accuracy", Metrics.round(runningAccuracy(), 4),
                "stop", state.phaseStop)));
    }

    private void pretrain(Phase p) throws Diverged, Cancelled, IOException {
        announce(p, "pretraining the generator on pixel" + (cfg.featureWeight() > 0 && cfg.featureNet() != FeatureNet.NONE
                ? " + feature (" + cfg.featureNet().cliName() + ")" : "") + " loss, " + cfg.pretrainSteps() + " steps");
        Schedule schedule = new Schedule(cfg.pretrainLr(), cfg.pretrainWarmup(), cfg.pretrainSteps());
        float[] last = new float[3];
        loop(p, cfg.pretrainSteps(), step -> {
            Batch b = data.batches().sample(cfg.batch(), rng(step));
            float lr = (float) (schedule.at(step) * state.lrFactor);
            long t0 = System.nanoTime();
            NoGanGraph.GenLoss l = graph.pretrainStep(b.input(), b.target(), b.n(), b.height(), b.width(), lr,
                    ++state.generatorSteps);
            double sec = seconds(t0);
            requireFinite(p, step, l.total());
            last[0] = l.total();
            last[1] = l.l1();
            last[2] = l.feature();
            time(StepEvent.GENERATOR, sec);
            record(p, step, StepEvent.GENERATOR, l.total(), l.l1(), l.ssim(), l.feature(), Float.NaN, Float.NaN, Double.NaN,
                    Float.NaN, lr, sec, null);
            event(p, step, cfg.pretrainSteps(), StepEvent.GENERATOR, l.total(), Double.NaN, lr, sec);
            if (step % cfg.pretrainValidateEvery() == 0 && step < cfg.pretrainSteps()) {
                validate(p.label(), step);
            }
            return false;
        });
        state.preGan = validate(p.label(), cfg.pretrainSteps());
        preGan = graph.generator();
        best = preGan;
        state.best = state.preGan;
        state.bestFrom = "pretrained generator";
        state.phases.add(summary(p, ordered("steps", state.step, "loss", (double) last[0], "l1", (double) last[1],
                "validation", state.preGan.toMap())));
    }

    private void gan(Phase p) throws Diverged, Cancelled, IOException {
        announce(p, String.format(Locale.ROOT, "GAN phase: at most %d batches; the critic trains until its loss < %.3f"
                + " before each generator step; validation every %d generator steps", cfg.ganSteps(),
                cfg.criticThreshold(), cfg.ganValidateEvery()));
        if (state.step == 0) {
            graph.load(best);
            state.phaseBest = state.best;
            phaseBest = null;
        }
        float lrG = (float) (cfg.ganLr() * state.lrFactor);
        float lrD = (float) (cfg.ganLr() * cfg.criticLrFactor() * state.lrFactor);
        loop(p, cfg.ganSteps(), step -> {
            Batch b = data.batches().sample(cfg.batch(), rng(step));
            int hr = b.height() * b.scale();
            long t0 = System.nanoTime();
            if (!state.generatorTurn) {
                float[] fake = graph.predict(b.input(), b.n(), b.height(), b.width());
                NoGanGraph.CriticLoss l = graph.criticStep(b.target(), fake, b.n(), hr, hr, lrD, ++state.criticSteps,
                        NoGanGraph.GAN_BETAS);
                double sec = seconds(t0);
                requireFinite(p, step, l.finite() ? l.loss() : Float.NaN);
                state.ganCritic++;
                state.lastCriticLoss = l.loss();
                state.generatorTurn = l.loss() < cfg.criticThreshold();
                double acc = l.accuracy(cfg.relativistic());
                time("gan_critic", sec);
                record(p, step, StepEvent.CRITIC, l.loss(), Float.NaN, Float.NaN, Float.NaN, Float.NaN, l.loss(), acc,
                        l.reconstruction(), lrD, sec, null);
                event(p, step, cfg.ganSteps(), StepEvent.CRITIC, l.loss(), acc, lrD, sec);
                return false;
            }
            NoGanGraph.GenLoss l = graph.ganStep(b.input(), b.target(), b.n(), b.height(), b.width(), lrG,
                    ++state.generatorSteps);
            double sec = seconds(t0);
            requireFinite(p, step, l.total());
            state.ganGenerator++;
            state.generatorTurn = false;
            time("gan_generator", sec);
            // critic_loss on a generator line: the critic loss that allowed this update (below the threshold).
            record(p, step, StepEvent.GENERATOR, l.total(), l.l1(), l.ssim(), l.feature(), l.adversarial(),
                    (float) state.lastCriticLoss, Double.NaN, Float.NaN, lrG, sec, null);
            event(p, step, cfg.ganSteps(), StepEvent.GENERATOR, l.total(), Double.NaN, lrG, sec);
            return state.ganGenerator % cfg.ganValidateEvery() == 0 && inflection(p, step);
        });
        if (state.phaseStop == null) {
            if (state.ganGenerator > state.lastValidated) {
                inflection(p, state.step);
            }
            if (state.phaseStop == null) {
                state.phaseStop = "batch budget reached";
            }
        }
        boolean improved = phaseBest != null;
        if (improved) {
            best = phaseBest;
            state.best = state.phaseBest;
            state.bestFrom = state.phaseBestFrom;
        } else {
            state.stopCycles = true;
        }
        graph.load(best);
        phaseBest = null;
        if (state.ganGenerator == 0) {
            say(String.format(Locale.ROOT, "The critic's loss never fell below the threshold %.3f in %d batches, so the"
                    + " generator was not updated; raise the critic loss threshold or the GAN steps", cfg.criticThreshold(),
                    state.ganCritic));
        }
        say(String.format(Locale.ROOT, "%s: %d generator and %d critic steps; %s; %s", p.label(), state.ganGenerator,
                state.ganCritic, state.phaseStop, improved ? "sharper generator kept: " + state.best
                        : "no sharper generator within the PSNR limit, keeping " + state.bestFrom
                                + (p.cycle() < cfg.cycles() ? "; no further cycles" : "")));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("batches", state.step);
        s.put("generator_steps", state.ganGenerator);
        s.put("critic_steps", state.ganCritic);
        s.put("stop", state.phaseStop);
        s.put("improved", improved);
        s.put("best", state.best.toMap());
        s.put("best_from", state.bestFrom);
        state.phases.add(summary(p, s));
    }

    /** Validates the GAN generator and decides whether the run has passed its inflection point. */
    private boolean inflection(Phase p, long step) throws Diverged {
        Metrics m = validate(p.label(), step);
        state.lastValidated = state.ganGenerator;
        if (m.psnr() < state.preGan.psnr() - cfg.maxPsnrDrop()) {
            state.phaseStop = String.format(Locale.ROOT, "PSNR %.3f dB fell more than %.2f dB below the pre-GAN"
                    + " generator (inflection point)", m.psnr(), cfg.maxPsnrDrop());
            return true;
        }
        if (m.sharperThan(state.phaseBest)) {
            state.phaseBest = m;
            phaseBest = graph.generator();
            state.phaseBestFrom = p.label() + " after " + state.ganGenerator + " generator steps";
            state.sinceBest = 0;
            return false;
        }
        if (++state.sinceBest >= cfg.patience()) {
            state.phaseStop = "no sharper generator in " + cfg.patience() + " validations (inflection point)";
            return true;
        }
        return false;
    }

    // ---- loop, validation, checkpoints --------------------------------------------------------------

    private void loop(Phase p, long budget, StepFn fn) throws Diverged, Cancelled, IOException {
        for (long step = state.step + 1; step <= budget; step++) {
            boolean done = fn.step(step);
            state.step = step;
            boolean cancel = listeners.stream().anyMatch(NoGanListener::cancelRequested);
            if (cancel || step % cfg.checkpointEvery() == 0) {
                checkpoint(p.label(), step);
            }
            if (cancel) {
                throw new Cancelled();
            }
            if (done) {
                break;
            }
        }
    }

    private Metrics validate(String phase, long step) throws Diverged {
        Metrics m = Metrics.of(graph::predict, data.validation());
        if (!m.finite()) {
            throw new Diverged(phase + " validation at step " + step, Float.NaN);
        }
        history.add(csv(phase, step, "validation", Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN,
                Double.NaN, Float.NaN, Float.NaN, 0) + String.format(Locale.ROOT, ",%.4f,%.5f,%.4f", m.psnr(), m.ssim(), m.frc()));
        appendLog(history.get(history.size() - 1));
        for (NoGanListener l : listeners) {
            l.onValidation(phase, step, m);
        }
        return m;
    }

    private void requireFinite(Phase p, long step, float loss) throws Diverged {
        if (!Float.isFinite(loss)) {
            throw new Diverged(p.label() + " step " + step, loss);
        }
    }

    private void rollback(Diverged d) throws IOException, TrainingException {
        int rollbacks = state.rollbacks + 1;
        double factor = state.lrFactor * ROLLBACK_FACTOR;
        if (rollbacks > MAX_ROLLBACKS) {
            throw new TrainingException("loss became " + d.value + " at " + d.where + " again after " + MAX_ROLLBACKS
                    + " roll-backs with lower learning rates; lower the learning rates (and check the data), then resume");
        }
        Checkpoint ck = Checkpoint.read(work);
        graph.load(networkState(ck.state()));
        restoreWeightsAndState(ck);
        state.lrFactor = factor;
        state.rollbacks = rollbacks;
        rewriteLog();
        say(String.format(Locale.ROOT, "Loss became %s at %s: rolled back to the checkpoint (%s, step %d) and"
                + " continue with learning rates x%.3g (roll-back %d of at most %d)", d.value, d.where,
                plan.get(Math.min(state.phase, plan.size() - 1)).label(), state.step, factor, rollbacks, MAX_ROLLBACKS));
        checkpoint("rollback", state.step);
    }

    private void checkpoint(String label, long step) throws IOException {
        Params all = graph.snapshot();
        putPrefixed(all, PREGAN, preGan);
        if (best != preGan) {
            putPrefixed(all, BEST, best);
        }
        putPrefixed(all, PHASE_BEST, phaseBest);
        Map<String, String> meta = new LinkedHashMap<>(configMeta());
        meta.put(PROGRESS, state.toYaml());
        new Checkpoint(state.generatorSteps + state.criticSteps + state.encoderSteps, all, meta, history).write(work);
        ModelFiles.writeAtomically(work.resolve(SUMMARY), Json.write(summaryJson()));
        for (NoGanListener l : listeners) {
            l.onCheckpoint(label, step, work);
        }
    }

    private static void putPrefixed(Params into, String prefix, Params p) {
        if (p != null) {
            p.asMap().forEach((k, v) -> into.put(prefix + k, v));
        }
    }

    private void restoreWeightsAndState(Checkpoint ck) {
        state = RunState.fromYaml(ck.meta().get(PROGRESS));
        history = new ArrayList<>(ck.history());
        preGan = prefixed(ck.state(), PREGAN);
        Params b = prefixed(ck.state(), BEST);
        best = b != null ? b : preGan;
        phaseBest = prefixed(ck.state(), PHASE_BEST);
        generated = null;
        generatedPhase = -1;
    }

    private static Params prefixed(Params all, String prefix) {
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
            if (!k.startsWith(PREGAN) && !k.startsWith(BEST) && !k.startsWith(PHASE_BEST)) {
                p.put(k, v);
            }
        });
        return p;
    }

    private void ensureGenerated(int cycle) throws IOException {
        if (generated != null && generatedPhase == cycle) {
            return;
        }
        List<GeneratedImages.Crop> crops = GeneratedImages.plan(data.train(), cfg.net().scale(), cfg.net().minMultiple(),
                cfg.generateImages(), cfg.seed() + cycle);
        generated = GeneratedImages.load(data.train(), crops, cfg.net().scale(), generatedDir(cycle));
        if (generated == null) {
            // The generator has not changed since generate-<cycle> (critic phases leave it alone): make them again.
            generated = GeneratedImages.make(graph, data.train(), data.crappifier(), crops, cfg.net().scale(),
                    cfg.seed() + 1000L * cycle, generatedDir(cycle));
        }
        generatedPhase = cycle;
    }

    private Path generatedDir(int cycle) {
        return work.resolve("generated").resolve("cycle-" + cycle);
    }

    private double runningAccuracy() {
        return state.accuracies.stream().mapToDouble(Double::doubleValue).average().orElse(0);
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

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private Map<String, Object> summary(Phase p, Map<String, ?> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", p.label());
        m.putAll(values);
        return m;
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
        m.put("phases", state.phases);
        m.put("seconds_per_step", state.secondsPerStep());
        m.put("rollbacks", state.rollbacks);
        m.put("lr_factor", state.lrFactor);
        return m;
    }

    private Outcome outcome(boolean completed) {
        return new Outcome(completed, preGan, best, state.base, state.preGan, state.best, state.bestFrom,
                List.copyOf(state.phases), List.copyOf(history), state.secondsPerStep(), state.rollbacks, state.lrFactor);
    }

    private void announce(Phase p, String what) {
        for (NoGanListener l : listeners) {
            l.onPhase(p.label(), what);
        }
    }

    private void say(String message) {
        for (NoGanListener l : listeners) {
            l.onMessage(message);
        }
    }

    private void event(Phase p, long step, long budget, String kind, float loss, double acc, float lr, double sec) {
        StepEvent e = new StepEvent(p.label(), step, budget, kind, loss, acc, lr, sec);
        for (NoGanListener l : listeners) {
            l.onStep(e);
        }
    }

    private void record(Phase p, long step, String kind, float loss, float l1, float ssim, float feature, float adv,
            float critic, double acc, float rec, float lr, double sec, Metrics val) throws IOException {
        String line = csv(p.label(), step, kind, loss, l1, ssim, feature, adv, critic, acc, rec, lr, sec) + ",,,";
        history.add(line);
        appendLog(line);
    }

    private static String csv(String phase, long step, String kind, float loss, float l1, float ssim, float feature,
            float adv, float critic, double acc, float rec, float lr, double sec) {
        return String.join(",", phase, String.valueOf(step), kind, num(loss), num(l1), num(ssim), num(feature), num(adv),
                num(critic), Double.isNaN(acc) ? "" : String.format(Locale.ROOT, "%.4f", acc), num(rec),
                Float.isNaN(lr) ? "" : String.format(Locale.ROOT, "%.3g", lr), String.format(Locale.ROOT, "%.4f", sec));
    }

    private static String num(float v) {
        return Float.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private void rewriteLog() throws IOException {
        StringBuilder sb = new StringBuilder(HISTORY_HEADER).append('\n');
        history.forEach(h -> sb.append(h).append('\n'));
        ModelFiles.writeAtomically(work.resolve(LOG), sb.toString());
    }

    private void appendLog(String line) {
        try {
            Files.writeString(work.resolve(LOG), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The log is a convenience copy of the checkpoint's history; training goes on without it.
        }
    }

    private Random rng(long step) {
        return new Random(stepSeed(cfg.seed(), state.phase, step));
    }

    static long stepSeed(long seed, int phase, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + phase * 0xC2B2AE3D27D4EB4FL + step;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Step times for the seconds-per-step report, leaving out each kind's first step in this process. */
    private void time(String kind, double sec) {
        if (!warm.add(kind)) {
            state.time(kind, sec);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
