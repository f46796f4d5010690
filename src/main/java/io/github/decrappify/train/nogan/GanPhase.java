package io.github.decrappify.train.nogan;

import io.github.decrappify.net.Params;
import io.github.decrappify.train.Batch;
import io.github.decrappify.train.Metrics;
import io.github.decrappify.train.StepEvent;
import io.github.decrappify.train.TrainLoop;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gan-c}: before each generator update the critic trains until its loss is below the threshold;
 * every {@code ganValidateEvery} generator steps the generator is validated, and the phase stops at the
 * inflection point (PSNR more than {@code maxPsnrDrop} below the pre-GAN generator, or no sharper
 * generator in {@code patience} validations). The sharpest generator of the phase becomes the run's best
 * if it is sharper than the best so far; otherwise no further cycles run.
 */
final class GanPhase extends NoGanPhase.Stepped {
    static final String PHASE_BEST = "phasebest:";

    // Checkpointed bookkeeping.
    private boolean generatorTurn;
    private long generatorUpdates;
    private long criticUpdates;
    private long lastValidated;
    private int sinceBest;
    private double lastCriticLoss;
    private Metrics phaseBest;
    private String phaseBestFrom;
    private String stop;
    /** The phase's sharpest generator's weights (checkpointed under {@link #PHASE_BEST}). */
    private Params phaseBestWeights;

    GanPhase(NoGanTrainer run, NoGanTrainer.Phase plan, int index) {
        super(run, plan, index);
        load(Map.of());
    }

    @Override
    String description() {
        return String.format(Locale.ROOT, "GAN phase: at most %d batches; the critic trains until its loss < %.3f"
                + " before each generator step; validation every %d generator steps", run.cfg.ganSteps(),
                run.cfg.criticThreshold(), run.cfg.ganValidateEvery());
    }

    @Override
    public long budget() {
        return run.cfg.ganSteps();
    }

    @Override
    void begin(long after) {
        if (after == 0) {
            run.graph.load(run.best);
            phaseBest = run.state.best;
            phaseBestWeights = null;
        }
    }

    @Override
    public TrainLoop.Step step(long step, Batch b) {
        NoGanConfig cfg = run.cfg;
        NoGanGraph graph = run.graph;
        if (!generatorTurn) {
            float lrD = rate(cfg.ganLr() * cfg.criticLrFactor());
            int hr = b.height() * b.scale();
            float[] fake = graph.predict(b.input(), b.n(), b.height(), b.width());
            NoGanGraph.CriticLoss l = graph.criticStep(b.target(), fake, b.n(), hr, hr, lrD, ++run.state.criticSteps,
                    NoGanGraph.GAN_BETAS);
            criticUpdates++;
            lastCriticLoss = l.loss();
            generatorTurn = l.loss() < cfg.criticThreshold();
            return new TrainLoop.Step(StepEvent.CRITIC, l.finite() ? l.loss() : Float.NaN, lrD, Map.of(
                    StepEvent.CRITIC_LOSS, (double) l.loss(), StepEvent.CRITIC_ACCURACY, l.accuracy(cfg.relativistic()),
                    StepEvent.RECONSTRUCTION, (double) l.reconstruction()));
        }
        float lrG = rate(cfg.ganLr());
        NoGanGraph.GenLoss l = graph.ganStep(b.input(), b.target(), b.n(), b.height(), b.width(), lrG,
                ++run.state.generatorSteps);
        generatorUpdates++;
        generatorTurn = false;
        // critic_loss on a generator line: the critic loss that allowed this update (below the threshold).
        return new TrainLoop.Step(StepEvent.GENERATOR, l.total(), lrG, Map.of(StepEvent.L1, (double) l.l1(),
                StepEvent.SSIM, (double) l.ssim(), StepEvent.FEATURE, (double) l.feature(),
                StepEvent.ADVERSARIAL, (double) l.adversarial(), StepEvent.CRITIC_LOSS, (double) (float) lastCriticLoss));
    }

    @Override
    public boolean afterStep(StepEvent e) throws TrainLoop.Diverged {
        return e.kind().equals(StepEvent.GENERATOR) && generatorUpdates % run.cfg.ganValidateEvery() == 0
                && inflection(e.step());
    }

    /** Validates the GAN generator and decides whether the run has passed its inflection point. */
    private boolean inflection(long step) throws TrainLoop.Diverged {
        NoGanConfig cfg = run.cfg;
        Metrics m = run.validate(label(), step);
        lastValidated = generatorUpdates;
        if (m.psnr() < run.state.preGan.psnr() - cfg.maxPsnrDrop()) {
            stop = String.format(Locale.ROOT, "PSNR %.3f dB fell more than %.2f dB below the pre-GAN"
                    + " generator (inflection point)", m.psnr(), cfg.maxPsnrDrop());
            return true;
        }
        if (m.sharperThan(phaseBest)) {
            phaseBest = m;
            phaseBestWeights = run.graph.generator();
            phaseBestFrom = label() + " after " + generatorUpdates + " generator steps";
            sinceBest = 0;
            return false;
        }
        if (++sinceBest >= cfg.patience()) {
            stop = "no sharper generator in " + cfg.patience() + " validations (inflection point)";
            return true;
        }
        return false;
    }

    @Override
    void end(long lastStep) throws TrainLoop.Diverged {
        NoGanConfig cfg = run.cfg;
        RunState state = run.state;
        if (stop == null) {
            if (generatorUpdates > lastValidated) {
                inflection(lastStep);
            }
            if (stop == null) {
                stop = "batch budget reached";
            }
        }
        boolean improved = phaseBestWeights != null;
        if (improved) {
            run.best = phaseBestWeights;
            state.best = phaseBest;
            state.bestFrom = phaseBestFrom;
        } else {
            state.stopCycles = true;
        }
        run.graph.load(run.best);
        phaseBestWeights = null;
        if (generatorUpdates == 0) {
            run.say(String.format(Locale.ROOT, "The critic's loss never fell below the threshold %.3f in %d batches, so the"
                    + " generator was not updated; raise the critic loss threshold or the GAN steps", cfg.criticThreshold(),
                    criticUpdates));
        }
        run.say(String.format(Locale.ROOT, "%s: %d generator and %d critic steps; %s; %s", label(), generatorUpdates,
                criticUpdates, stop, improved ? "sharper generator kept: " + state.best
                        : "no sharper generator within the PSNR limit, keeping " + state.bestFrom
                                + (plan.cycle() < cfg.cycles() ? "; no further cycles" : "")));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("batches", lastStep);
        s.put("generator_steps", generatorUpdates);
        s.put("critic_steps", criticUpdates);
        s.put("stop", stop);
        s.put("improved", improved);
        s.put("best", state.best.toMap());
        s.put("best_from", state.bestFrom);
        state.phases.add(NoGanTrainer.summary(label(), s));
    }

    // The keys are those of the checkpoints written before phases owned their state.
    @Override
    void save(Map<String, Object> into) {
        into.put("generator_turn", generatorTurn);
        into.put("gan_generator", generatorUpdates);
        into.put("gan_critic", criticUpdates);
        into.put("last_validated", lastValidated);
        into.put("since_best", sinceBest);
        into.put("last_critic_loss", Double.isNaN(lastCriticLoss) ? null : lastCriticLoss);
        into.put("phase_best", phaseBest == null ? null : phaseBest.toMap());
        into.put("phase_best_from", phaseBestFrom);
        into.put("phase_stop", stop);
    }

    @Override
    void load(Map<String, ?> from) {
        generatorTurn = RunState.booleanValue(from, "generator_turn");
        generatorUpdates = RunState.longValue(from, "gan_generator");
        criticUpdates = RunState.longValue(from, "gan_critic");
        lastValidated = RunState.longValue(from, "last_validated");
        sinceBest = (int) RunState.longValue(from, "since_best");
        lastCriticLoss = RunState.doubleValue(from, "last_critic_loss", Double.NaN);
        phaseBest = Metrics.fromMap((Map<?, ?>) from.get("phase_best"));
        phaseBestFrom = RunState.stringValue(from, "phase_best_from");
        stop = RunState.stringValue(from, "phase_stop");
    }

    @Override
    void saveWeights(Params into) {
        NoGanTrainer.putPrefixed(into, PHASE_BEST, phaseBestWeights);
    }

    @Override
    void loadWeights(Params all) {
        phaseBestWeights = NoGanTrainer.prefixed(all, PHASE_BEST);
    }
}
