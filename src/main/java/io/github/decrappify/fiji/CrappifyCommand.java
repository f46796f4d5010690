package io.github.decrappify.fiji;

import ij.ImagePlus;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.CrappifyImages;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.image.BadInputException;
import java.io.IOException;
import java.util.Random;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › Decrappify › Decrappify Crappify…: makes a realistic low-resolution, noisy version of an image, as
 * used for training (the twin of {@code decrappify crappify -i FILE}; same seed, same pixels).
 * <pre>
 * run("Decrappify Crappify...", "image=hr.tif preset=em scale=4 seed=0");
 * </pre>
 */
@Plugin(type = Command.class, menuPath = "Plugins>Decrappify>Decrappify Crappify...", attrs = @Attr(name = "help", value = "training.md#make-lr-images-that-look-like-your-microscopes-crappify"),
        description = "Degrade an image into a low-resolution, noisy one (blur, downsampling, Poisson + Gaussian noise)")
public final class CrappifyCommand extends DecrappifyCommand {

    @Parameter(label = "Image", description = "An 8-, 16- or 32-bit grayscale image or hyperstack")
    private ImagePlus image;

    @Parameter(label = "Preset", description = "em, fluo, or the path of a preset .yaml (from 'decrappify crappify --fit')")
    private String preset = Presets.EM;

    @Parameter(label = "Scale", min = "1", max = "8", description = "Downsampling factor; 1 = noise only")
    private int scale = 4;

    @Parameter(label = "Seed", description = "Same seed, same noise")
    private long seed = 0;

    @Parameter(label = "Random noise level", description = "Draw the level from the preset's ranges instead of its typical level")
    private boolean random = false;

    @Parameter(type = ItemIO.OUTPUT, label = "Crappified image")
    private ImagePlus crappified;

    @Override
    public void run() {
        if (image == null) {
            fail("No image to crappify; open one first");
            return;
        }
        int type = image.getType();
        if (type != ImagePlus.GRAY8 && type != ImagePlus.GRAY16 && type != ImagePlus.GRAY32) {
            fail(image.getTitle() + " is not a grayscale image; convert it to 8/16/32-bit (Image > Type) first");
            return;
        }
        if (preset == null || preset.isBlank()) {
            fail("No preset given; use em, fluo or a preset .yaml file");
            return;
        }
        try {
            CrappifierParams params = Presets.resolve(preset.strip(), scale);
            status.showStatus("Decrappify: crappifying " + image.getTitle() + " (" + preset + ", x" + scale + ")");
            crappified = CrappifyImages.crappify(image, new Crappifier(params), random, new Random(seed));
            crappified.resetDisplayRange();
            status.showStatus("Decrappify: crappified " + image.getTitle());
        } catch (BadInputException | IllegalArgumentException e) {
            fail(e.getMessage());
        } catch (IOException e) {
            fail("Cannot read preset " + preset + ": " + e.getMessage());
        }
    }
}
