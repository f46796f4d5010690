package io.github.decrappify.train.nogan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Issue 16 item 3: fine-tune options by name, with the command line's defaults, instead of 20 positional values. */
class FineTuneOptionsTest {

    private final Function<UNetConfig, NoGanConfig> config = net -> NoGanConfig.builder(net).quick().build();

    @Test
    void theBuilderStartsFromTheCommandLinesDefaults() {
        Path out = Path.of("/data/out");
        List<Path> hr = List.of(Path.of("/data/hr"));
        // What Fiji's Fine-tune (NoGAN)... passed by position before.
        FineTuneJob.Options positional = new FineTuneJob.Options("em-x4-unet-s", hr, null, List.of(), null, 0.1, 256,
                Drift.Mode.CORRECT, null, out, null, false, 0, Device.AUTO, false, "", "", "", "", config);
        assertEquals(positional, FineTuneJob.Options.builder("em-x4-unet-s", hr, out, config).build());
        FineTuneJob.Options all = FineTuneJob.Options.builder("m", hr, out, config).optLr(Path.of("/lr"))
                .optValidation(List.of(Path.of("/vhr")), Path.of("/vlr")).optValidationSplit(0.2, 64)
                .optDrift(Drift.Mode.REPORT).optPreset("em").optWork(Path.of("/w")).optResume(true).optAlpha(0.5)
                .optDevice(Device.CPU).optOverwrite(true).optCard("MIT", "d", "n").optCommand("c").build();
        assertEquals(new FineTuneJob.Options("m", hr, Path.of("/lr"), List.of(Path.of("/vhr")), Path.of("/vlr"), 0.2, 64,
                Drift.Mode.REPORT, "em", out, Path.of("/w"), true, 0.5, Device.CPU, true, "MIT", "d", "n", "c", config), all);
    }
}
