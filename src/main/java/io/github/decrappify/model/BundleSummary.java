package io.github.decrappify.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bundle's summary in a few plain lines: what it does, on what it was trained, how well it did, its
 * licence and where it lives. The same lines in {@code decrappify models show} and in Fiji's Models…. (The
 * bundle's README.md model card is written at export: {@code train.TrainingCard}, {@code train.nogan.FineTuneCard}.)
 */
public final class BundleSummary {

    private BundleSummary() {
    }

    /** The card of an opened bundle; the cover image ({@code covers[0]}) is shown separately. */
    public static List<String> lines(ModelBundle bundle) {
        BundleSpec s = bundle.spec();
        List<String> out = new ArrayList<>();
        out.add("name:         " + s.name() + " (version " + s.version() + ")");
        out.add("description:  " + s.description());
        out.add("scale:        x" + s.scale() + (s.isDenoising() ? " (denoising)" : " super-resolution"));
        out.add("modality:     " + s.modality().yamlName());
        out.add("licence:      " + s.license());
        out.add("authors:      " + String.join(", ", s.authors().stream().map(BundleSpec.Author::name).toList()));
        out.add("input:        " + s.inputChannels() + " frame(s)"
                + (s.inputChannels() > 1 ? " along " + s.frameAxis().yamlName() : "") + ", sizes " + s.minimumSize()
                + " + k*" + s.sizeMultiple() + " px, normalised to percentiles " + s.normalisation().lowPercentile()
                + "-" + s.normalisation().highPercentile());
        out.add("tiling:       tile " + s.tile() + ", halo " + s.halo() + " LR px");
        Map<String, Object> training = s.training();
        out.add("training data: " + describe(training.get("data")));
        if (training.get("data_note") instanceof String note && !note.isBlank()) {
            out.add("data note:    " + note);
        }
        if (training.get("steps") != null) {
            out.add("steps:        " + training.get("steps"));
        }
        if (training.get("exported_step") != null) {
            out.add("weights of:   step " + training.get("exported_step") + " (" + training.get("exported_step_rule") + ")");
        }
        if (training.get("validation_metrics") instanceof Map<?, ?> metrics && !metrics.isEmpty()) {
            out.add("validation metrics:");
            metrics.forEach((k, v) -> out.add("  " + k + ": " + v));
        } else {
            out.add("validation metrics: none recorded");
        }
        out.add("location:     " + bundle.source());
        return out;
    }

    private static String describe(Object data) {
        if (data == null) {
            return "not recorded";
        }
        if (data instanceof List<?> list) {
            // Training runs may list thousands of files: the count and a few names are enough here.
            String head = String.join(", ", list.stream().limit(3).map(String::valueOf).toList());
            return list.size() <= 3 ? head : list.size() + " files (" + head + ", ...)";
        }
        return String.valueOf(data);
    }
}
