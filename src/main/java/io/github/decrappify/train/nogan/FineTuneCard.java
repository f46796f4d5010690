package io.github.decrappify.train.nogan;

import io.github.decrappify.train.Metrics;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.train.ModelExport;
import java.util.Locale;
import java.util.Map;

/** The fine-tuned bundle's README.md: base model, data, phases, validation before and after, how to reproduce. */
final class FineTuneCard {
    private FineTuneCard() {}

    static String markdown(BundleSpec spec, NoGanExport.Request r, Metrics exported, ModelExport.Scores s) {
        NoGanTrainer.Outcome o = r.outcome();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(spec.name()).append("\n\n").append(spec.description()).append("\n\n");
        md.append("- Base model: ").append(r.base().name()).append(" (").append(r.base().bundle().source()).append(")\n");
        md.append("- Scale: ").append(spec.scale() == 1 ? "1 (denoising)" : "×" + spec.scale()).append("; modality: ")
                .append(spec.modality().yamlName()).append("; licence: ").append(spec.license()).append('\n');
        md.append(String.format(Locale.ROOT, "- Exported generator: α = %.2f between the pre-GAN generator (α = 1) and the"
                + " best GAN generator (α = 0, %s)%n%n", r.alpha(), o.bestFrom()));
        md.append("## Data\n\n").append(r.data().paired() ? "Real HR/LR pairs" : "HR images, LR synthesised by the crappifier")
                .append(": ").append(r.data().trainFiles().size()).append(" training file(s); ").append(r.data().split())
                .append(".\n");
        for (Drift.Result d : r.data().drift()) {
            md.append("- ").append(d.describe()).append('\n');
        }
        md.append('\n').append(r.dataNote() == null || r.dataNote().isBlank()
                ? "Data licences were not stated by the trainer: check them before sharing this model." : r.dataNote())
                .append("\n\n");
        md.append("## Phases\n\n| phase | what happened |\n|---|---|\n");
        for (Map<String, Object> p : o.phases()) {
            StringBuilder what = new StringBuilder();
            p.forEach((k, v) -> {
                if (!k.equals("phase") && !k.equals("folder")) {
                    what.append(what.length() == 0 ? "" : "; ").append(k.replace('_', ' ')).append(": ").append(v);
                }
            });
            md.append("| ").append(p.get("phase")).append(" | ").append(what).append(" |\n");
        }
        md.append("\n## Validation (held-out images, normalised intensities)\n\n");
        md.append("| generator | PSNR (dB) | SSIM | FRC (px, lower = finer) |\n|---|---|---|---|\n");
        row(md, "base model " + r.base().name(), o.base());
        row(md, "after generator pretraining (pre-GAN)", o.preGanMetrics());
        row(md, "best GAN generator", o.bestMetrics());
        row(md, String.format(Locale.ROOT, "**exported (α = %.2f)**", r.alpha()), exported);
        row(md, String.format(Locale.ROOT, "best Gaussian-smoothed bicubic (best blur, mean σ %.2f LR px)", s.meanSigma()),
                new Metrics(s.smoothPsnr(), s.smoothSsim(), s.smoothFrc()));
        row(md, "bicubic", new Metrics(s.bicubicPsnr(), s.bicubicSsim(), s.bicubicFrc()));
        md.append(String.format(Locale.ROOT, "%nThe exported generator is %+.2f dB / %+.4f SSIM against the best blur on the"
                + " same images%s.%n%n", exported.psnr() - s.smoothPsnr(), exported.ssim() - s.smoothSsim(),
                exported.psnr() > s.smoothPsnr() && exported.ssim() > s.smoothSsim() ? ""
                        : ": on these images it is not better than a well-chosen blur"));
        md.append("## Intended use and limits\n\nRestores acquisitions like the fine-tuning data. The GAN phase trades a"
                + " little fidelity (PSNR) for sharper detail and may invent plausible texture: check results with"
                + " `decrappify evaluate` before quantitative use; re-export with a higher alpha for more fidelity.\n\n");
        md.append("## Reproduce\n\n```\n").append(r.command()).append("\n```\n");
        return md.toString();
    }

    private static void row(StringBuilder md, String label, Metrics m) {
        md.append(String.format(Locale.ROOT, "| %s | %.3f | %.4f | %.3f |%n", label, m.psnr(), m.ssim(), m.frc()));
    }
}
