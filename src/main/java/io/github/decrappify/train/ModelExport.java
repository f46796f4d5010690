package io.github.decrappify.train;

import io.github.decrappify.image.Folders;
import io.github.decrappify.crappify.PresetIO;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.metrics.Baselines;
import io.github.decrappify.metrics.Frc;
import io.github.decrappify.metrics.FrcCurve;
import io.github.decrappify.metrics.Psnr;
import io.github.decrappify.metrics.Ssim;
import io.github.decrappify.model.BundleException;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.BundleWriter;
import io.github.decrappify.model.Npy;
import io.github.decrappify.net.SavedModelExport;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Bf16Measurement;
import io.github.decrappify.runtime.LoadedModel;
import io.github.decrappify.runtime.RuntimeUnavailableException;
import io.github.decrappify.runtime.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a finished training run into a model bundle: frozen SavedModel, test tensors computed by the
 * exported model itself (through DJL, as restore runs it), validation metrics of the exported model
 * next to bicubic and the best Gaussian-smoothed bicubic, a cover image and a model card.
 */
public final class ModelExport {

    /**
     * Default tiling written into bundles. Tile reads are rounded out to the 64-px grid, so a halo of 32
     * (plus 16 px blending) reads 64 px of context; the bench's halo scan measured max differences of
     * ~1e-7 of the output range against whole-image output for unet-s (README › Performance).
     */

    private final TrainJob.Options opt;
    private final TrainJob.Outcome outcome;
    private final String name;
    private final String modality;
    private final String description;
    private final String license;
    private final String dataNote;
    private final String commandLine;

    public ModelExport(TrainJob.Options opt, TrainJob.Outcome outcome, String name, String modality, String description,
            String license, String dataNote, String commandLine) {
        this.opt = opt;
        this.outcome = outcome;
        this.name = name;
        this.modality = modality;
        this.description = description;
        this.license = license;
        this.dataNote = dataNote;
        this.commandLine = commandLine;
    }

    /**
     * Mean validation scores of the model and the two baselines; FRC resolutions against the truth in HR
     * pixels (1/7 threshold; the model's also at the half-bit threshold).
     */
    public record Scores(double modelPsnr, double modelSsim, double bicubicPsnr, double bicubicSsim, double smoothPsnr,
            double smoothSsim, double meanSigma, int images, double modelFrc, double modelFrcHalfBit, double bicubicFrc,
            double smoothFrc) {}

    /** Writes {@code output} (its folder name is the model name) and returns its path. */
    public Path write(Path output, List<TrainingListener> listeners)
            throws IOException, BundleException, RuntimeUnavailableException, TrainingException {
        UNetConfig net = opt.train().net();
        Path tmp = Files.createTempDirectory(opt.workDir(), "export");
        try {
            Path savedModel = tmp.resolve("savedmodel");
            SavedModelExport.export(net, outcome.weights(), savedModel);
            Scores scores;
            Npy.Tensor testIn;
            Npy.Tensor testOut;
            int[] cover;
            int coverW;
            int coverH;
            try (LoadedModel model = LoadedModel.load(savedModel, opt.device())) {
                // Self-supervised runs have no clean truth: nothing to score (the list holds a noisy sample only).
                scores = opt.selfSupervised() ? null : evaluate(model, outcome.validation(), net.scale());
                TrainingPair first = outcome.validation().isEmpty() ? null : outcome.validation().get(0);
                FloatPlane lr = first != null ? Crops.crop(first.lr(), 0, 0, net.sizeMultiple(), net.sizeMultiple())
                        : FloatPlane.zeros(net.sizeMultiple(), net.sizeMultiple(), net.inputChannels());
                int g = net.sizeMultiple();
                LoadedModel.Output out = model.predict(lr.data(), 1, g, g, net.inputChannels());
                testIn = new Npy.Tensor(new int[] {1, g, g, net.inputChannels()}, lr.data());
                testOut = new Npy.Tensor(new int[] {1, g * net.scale(), g * net.scale(), 1}, out.data());
                CoverImage c = first == null ? null : CoverImage.of(model, first, net.scale());
                cover = c == null ? null : c.rgb();
                coverW = c == null ? 0 : c.width();
                coverH = c == null ? 0 : c.height();
                for (TrainingListener l : scores == null ? List.<TrainingListener>of() : listeners) {
                    l.onMessage(String.format(Locale.ROOT,
                            "exported model on %d validation images: PSNR %.2f dB / SSIM %.4f / FRC %.2f px; bicubic"
                                    + " %.2f / %.4f / %.2f px; best Gaussian-smoothed bicubic %.2f / %.4f / %.2f px; device %s",
                            scores.images(), scores.modelPsnr(), scores.modelSsim(), scores.modelFrc(), scores.bicubicPsnr(),
                            scores.bicubicSsim(), scores.bicubicFrc(), scores.smoothPsnr(), scores.smoothSsim(),
                            scores.smoothFrc(), model.device()));
                }
            }
            TrainingPair val = outcome.validation().isEmpty() ? null : outcome.validation().get(0);
            BundleSpec spec = withBf16Check(spec(net, scores), savedModel, testIn, val, !opt.selfSupervised(), listeners);
            BundleWriter writer = new BundleWriter(spec, savedModel, testIn, testOut)
                    .optModelCard(TrainingCard.markdown(spec, scores, outcome, opt, dataNote, commandLine)).optOverwrite(opt.overwrite());
            if (cover != null) {
                writer.optCover(cover, coverW, coverH);
            }
            Path parent = output.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            return writer.write(parent);
        } finally {
            Folders.deleteTree(tmp);
        }
    }

    /**
     * {@code spec} with the bf16 check measured on the test tensor and the validation pair {@code val} (its
     * truth counted only if {@code truthKnown}; self-supervised runs hold a noisy sample there), announced to
     * the listeners; {@code spec} unchanged where the CPU has no native bf16 (then {@code auto} stays fp32).
     */
    public static BundleSpec withBf16Check(BundleSpec spec, Path savedModel, Npy.Tensor testIn, TrainingPair val,
            boolean truthKnown, List<TrainingListener> listeners)
            throws RuntimeUnavailableException, IOException {
        FloatPlane truth = val == null || !truthKnown ? null
                : val.hr().channels() == 1 ? val.hr() : val.hr().channel(val.hr().channels() / 2);
        BundleSpec.Bf16Check c = Bf16Measurement.measure(savedModel, testIn, val == null || val.lr() == null ? null : val.lr(), truth,
                val == null ? null : val.name());
        String msg = c == null ? "bf16 check: not measured (this CPU has no native bf16); restore --precision auto will use fp32"
                : "bf16 check: " + c.summary() + (c.withinBound() ? "; within the bounds, restore --precision auto may use bf16"
                        : "; " + c.problem() + ", restore --precision auto will use fp32");
        listeners.forEach(l -> l.onMessage(msg));
        return c == null ? spec : spec.withBf16(c);
    }

    /** Scores on the validation pairs, with the exported model run whole-image through DJL. */
    public static Scores evaluate(LoadedModel model, List<TrainingPair> pairs, int scale) {
        double[] sum = new double[11];
        for (TrainingPair p : pairs) {
            FloatPlane lr = p.lr();
            LoadedModel.Output out = model.predict(lr.data(), 1, lr.height(), lr.width(), lr.channels());
            FloatPlane pred = new FloatPlane(lr.width() * scale, lr.height() * scale, out.data());
            FloatPlane truth = p.hr().channels() == 1 ? p.hr() : p.hr().channel(p.hr().channels() / 2);
            FloatPlane lrCentre = lr.channels() == 1 ? lr : lr.channel(lr.channels() / 2);
            FloatPlane bicubic = scale == 1 ? lrCentre : Baselines.bicubic(lrCentre, scale);
            Baselines.Smoothed smooth = Baselines.bestSmoothedBicubic(lrCentre, truth, scale, 1.0);
            sum[0] += Psnr.of(truth, pred, 1);
            sum[1] += Ssim.mean(truth, pred, 1);
            sum[2] += Psnr.of(truth, bicubic, 1);
            sum[3] += Ssim.mean(truth, bicubic, 1);
            sum[4] += smooth.psnr();
            sum[5] += Ssim.mean(truth, smooth.image(), 1);
            sum[6] += smooth.sigma();
            FrcCurve frc = Frc.compute(truth, pred);
            sum[7] += frc.resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels();
            sum[8] += frc.resolution(FrcCurve.Threshold.HALF_BIT).pixels();
            sum[9] += Frc.compute(truth, bicubic).resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels();
            sum[10] += Frc.compute(truth, smooth.image()).resolution(FrcCurve.Threshold.ONE_SEVENTH).pixels();
        }
        int n = Math.max(1, pairs.size());
        return new Scores(sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n, sum[4] / n, sum[5] / n, sum[6] / n, pairs.size(),
                sum[7] / n, sum[8] / n, sum[9] / n, sum[10] / n);
    }

    /**
     * The {@code validation_metrics} block of rdf.yaml (config.decrappify.training); FRC in HR pixels. Fine-tuned
     * bundles record the same keys, so the model's PSNR sits next to the best blur's ({@code smoothed_bicubic_psnr}).
     */
    public static Map<String, Object> metrics(Scores s) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("images", s.images());
        metrics.put("psnr", round(s.modelPsnr()));
        metrics.put("ssim", round(s.modelSsim()));
        metrics.put("frc_px", round(s.modelFrc()));
        metrics.put("frc_halfbit_px", round(s.modelFrcHalfBit()));
        metrics.put("bicubic_psnr", round(s.bicubicPsnr()));
        metrics.put("bicubic_ssim", round(s.bicubicSsim()));
        metrics.put("bicubic_frc_px", round(s.bicubicFrc()));
        metrics.put("smoothed_bicubic_psnr", round(s.smoothPsnr()));
        metrics.put("smoothed_bicubic_ssim", round(s.smoothSsim()));
        metrics.put("smoothed_bicubic_frc_px", round(s.smoothFrc()));
        metrics.put("smoothed_bicubic_mean_sigma", round(s.meanSigma()));
        return metrics;
    }

    private BundleSpec spec(UNetConfig net, Scores s) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", commandLine);
        training.put("data", outcome.trainFiles());
        training.put("data_kind", opt.selfSupervised()
                ? "noisy images only, self-supervised blind-spot training (Noise2Void)"
                        + (opt.selfSupervision().base() != null ? ", fine-tuning " + opt.selfSupervision().base().spec().name() : "")
                : opt.lr() != null ? "real HR/LR pairs (" + PairMatcher.RULE + ")"
                : "HR images, LR synthesised by the crappifier");
        training.put("validation_data", outcome.valFiles());
        training.put("data_note", dataNote);
        Map<String, Object> config = new LinkedHashMap<>(opt.train().describe());
        if (opt.selfSupervised()) {
            config.put("ssim_weight", 0.0);
            config.putAll(opt.selfSupervision().masker().describe());
            CentreWeight.Estimate c = outcome.centreWeight();
            if (c != null) {
                // folded into the head: the exported network is (1 - w)·blind-spot output + w·input
                config.put("centre_weight", Metrics.round(c.weight(), 4));
                config.put("centre_weight_rule", c.planes() > 0 ? "estimated: 1 - noise variance / output-input mean square"
                        : "given (--centre-weight)");
                if (c.planes() > 0) {
                    config.put("centre_noise_variance", c.noiseVariance());
                    config.put("centre_mean_square", c.meanSquare());
                }
            }
        }
        training.put("config", config);
        training.put("steps", outcome.training().step());
        // The weights are the best validation's, not necessarily the last step's: say which.
        training.put("exported_step", outcome.training().weightsStep());
        training.put("exported_step_rule", outcome.training().bestValidation() != null ? "best validation PSNR" : "last step");
        training.put("seed", opt.train().seed());
        List<String> history = outcome.training().history();
        List<String> last = history.subList(Math.max(0, history.size() - 5), history.size());
        training.put("history_header", Trainer.historyHeader(opt.train().pixelLoss()));
        training.put("history_tail", new ArrayList<>(last));
        training.put("validation_history", history.stream().filter(h -> !h.endsWith(",,") && !h.endsWith(",")).toList());
        if (s != null) {
            training.put("validation_metrics", metrics(s));
        }
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("decrappify", Versions.decrappify());
        versions.put("tensorflow", Versions.tensorflow());
        versions.put("java", System.getProperty("java.version"));
        training.put("versions", versions);
        return BundleSpec.builder(name, net.scale(), BundleSpec.Modality.fromYaml(modality))
                .optDescription(description.isBlank() ? defaultDescription(net) : description)
                .optLicense(license.isBlank() ? "CC-BY-4.0" : license)
                .optAuthors(List.of(BundleSpec.DECRAPPIFY_AUTHOR))
                .optCite(List.of(BundleSpec.PSSR))
                .optTags(List.of(modality, net.scale() == 1 ? "denoising" : "super-resolution", "pssr", "unet", "decrappify"))
                .optInputFrames(net.inputChannels(), BundleSpec.FrameAxis.Z)
                .optNormalisation(opt.train().recipe().normalisation())
                .optSizes(net.sizeMultiple(), net.sizeMultiple())
                .optTiling(BundleSpec.DEFAULT_TILE, BundleSpec.DEFAULT_HALO)
                .optCrappifier(opt.selfSupervised() ? Map.of() : PresetIO.toMap(opt.crappifier()))
                .optTraining(training)
                .build();
    }

    private String defaultDescription(UNetConfig net) {
        return (net.scale() == 1 ? "Denoising" : "x" + net.scale() + " super-resolution") + " of " + modality
                + " images (unet-s generator trained by Decrappify).";
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
