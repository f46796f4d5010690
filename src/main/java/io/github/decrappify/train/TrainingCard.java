package io.github.decrappify.train;

import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.net.UNetConfig;
import java.util.Arrays;
import java.util.Locale;

/** The README.md model card of a bundle exported by {@code train}: what the model is for, what it was trained on, how good it is, how to reproduce it. */
final class TrainingCard {
    private TrainingCard() {}

    static String markdown(BundleSpec spec, ModelExport.Scores s, TrainJob.Outcome outcome, TrainJob.Options opt,
            String dataNote, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(spec.name()).append("\n\n").append(spec.description()).append("\n\n");
        md.append("- Scale: ").append(spec.scale() == 1 ? "1 (denoising)" : "×" + spec.scale()).append("; modality: ")
                .append(spec.modality().yamlName()).append("; input frames: ").append(spec.inputChannels()).append('\n');
        int[] widths = opt.train().net().widths();
        md.append("- Architecture: unet-s (Decrappify design notes)")
                .append(Arrays.equals(widths, UNetConfig.unetS(1, 1).widths()) ? ""
                        : " with widths " + Arrays.toString(widths)).append(", ").append(outcome.training().step())
                .append(" Adam steps, patch ").append(opt.train().patchLr()).append(" LR px, batch ")
                .append(opt.train().batch()).append(", seed ").append(opt.train().seed()).append(", loss ")
                .append(lossText(opt.train())).append('\n');
        md.append("- Weights: step ").append(outcome.training().weightsStep()).append(" of ")
                .append(outcome.training().step()).append(outcome.training().bestValidation() != null
                        ? ", the run's best validation PSNR" : ", the last step (no validation chose another)").append('\n');
        md.append("- Licence: ").append(spec.license()).append("\n\n");
        md.append("## Training data and licences\n\n");
        md.append(dataNote.isBlank() ? "Not stated by the trainer: check the data's licences before sharing this model."
                : dataNote).append("\n\n");
        md.append("Training files: ").append(outcome.trainFiles().size()).append("; validation files: ")
                .append(outcome.valFiles().size()).append(" (listed in rdf.yaml › config.decrappify.training).\n\n");
        if (s == null) {
            md.append("## Validation\n\n");
            md.append("Trained self-supervised (Noise2Void) on the noisy images alone: there is no clean truth to score"
                    + " against. Score it on images with a clean reference (e.g. an average of many frames) with"
                    + " `decrappify evaluate --fit-intensity`, next to the best Gaussian it reports.\n\n");
            CentreWeight.Estimate c = outcome.centreWeight();
            if (c != null) {
                md.append(String.format(Locale.ROOT, "The network predicts each pixel from its neighbours only; its output"
                        + " blends back %.3f of the noisy pixel itself (%s; rdf.yaml › config.decrappify.training.config"
                        + " › centre_weight).%n%n", c.weight(), c.planes() > 0 ? "estimated from the training images' noise"
                        + " variance and the output-input difference" : "given with --centre-weight"));
            }
            md.append("## Intended use and limits\n\n");
            md.append("Denoises acquisitions like its training images: the blind spot assumes noise independent from"
                    + " pixel to pixel, so noise correlated between neighbours (e.g. from resampling or some cameras) is"
                    + " kept as if it were signal. Deep-learning restoration can invent plausible detail: check results"
                    + " before quantitative use.\n\n");
            md.append("## Reproduce\n\n```\n").append(command).append("\n```\n");
            return md.toString();
        }
        md.append("## Validation (data the model never saw)\n\n");
        md.append(String.format(Locale.ROOT, "%d validation crops, %s, normalised intensities (data range 1).%n%n",
                s.images(), opt.lr() != null ? "LR the real partners of held-out targets (" + PairMatcher.RULE + ")"
                        : "LR synthesised with the crappifier at its typical noise level"));
        md.append("| method | PSNR (dB) | SSIM | FRC resolution (HR px, 1/7) |\n|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| bicubic | %.2f | %.4f | %.2f |%n", s.bicubicPsnr(), s.bicubicSsim(),
                s.bicubicFrc()));
        md.append(String.format(Locale.ROOT, "| best Gaussian-smoothed bicubic (mean σ %.2f LR px) | %.2f | %.4f | %.2f |%n",
                s.meanSigma(), s.smoothPsnr(), s.smoothSsim(), s.smoothFrc()));
        md.append(String.format(Locale.ROOT, "| **this model** | **%.2f** | **%.4f** | **%.2f** (half-bit: %.2f) |%n%n",
                s.modelPsnr(), s.modelSsim(), s.modelFrc(), s.modelFrcHalfBit()));
        md.append("FRC resolution: the finest period (in HR pixels; 2 = the Nyquist limit) at which the restoration still"
                + " correlates with the truth (Fourier ring correlation above 1/7); smaller is better.\n\n");
        md.append("## Intended use and limits\n\n");
        md.append("Restores acquisitions that resemble the crappifier's degradation (see rdf.yaml › config.decrappify."
                + "crappifier). Deep-learning restoration can invent plausible detail: check results with"
                + " `decrappify evaluate` and data-consistency maps before quantitative use, and do not use it for"
                + " images unlike the training data.\n\n");
        md.append("## Reproduce\n\n```\n").append(command).append("\n```\n");
        return md.toString();
    }

    /** The loss as trained: {@code L1 + 0.1·(1 − SSIM)}, {@code L2}, ... */
    static String lossText(TrainConfig cfg) {
        String pixel = cfg.pixelLoss() == PixelLoss.L2 ? "L2 (mean squared error)" : "L1";
        return cfg.ssimWeight() > 0 ? String.format(java.util.Locale.ROOT, "%s + %.3g·(1 − SSIM)", pixel, cfg.ssimWeight()) : pixel;
    }
}
