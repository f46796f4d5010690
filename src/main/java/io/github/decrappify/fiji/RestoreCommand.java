package io.github.decrappify.fiji;

import ij.ImagePlus;
import io.github.decrappify.runtime.Precision;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › Decrappify › Decrappify Restore…: restores the given image with a model bundle into a new image
 * (the Java twin of {@code decrappify restore -i FILE}).
 * <pre>
 * run("Decrappify Restore...", "image=cells.tif model=em-x4-unet-s tile=0 overlap=-1 device=auto precision=auto pixels=[32-bit float]");
 * run("Decrappify Restore...", "image=cells.tif model=em-x4-unet-s tile=0 overlap=-1 device=auto precision=auto pixels=[32-bit float] tta=true qc=true");
 * </pre>
 * With {@code tta} the result is the mean of the 8 flips/rotations and an uncertainty image (their
 * spread) opens beside it; with {@code qc} the data-consistency error map opens beside it (input-sized,
 * RSE/RSP per plane in its slice labels and the log).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Decrappify>Decrappify Restore...", attrs = @Attr(name = "help", value = "restore-in-fiji.md#the-commands"),
        description = "Super-resolve or denoise an image with a Decrappify model")
public final class RestoreCommand extends RestoringCommand {

    @Parameter(label = "Image", description = "An 8-, 16- or 32-bit grayscale image or hyperstack")
    private ImagePlus image;

    @Parameter(label = "Model", style = "decrappify-model", description = FijiModels.MODEL_DESCRIPTION)
    private String model = FijiModels.DEFAULT_MODEL;

    @Parameter(label = "Tile size (LR pixels)", min = "0", style = "auto", description = "0 = the model's default (as --tile 0 on the command line); a tile at least the plane's size restores it whole")
    private int tile = 0;

    @Parameter(label = "Overlap (LR pixels)", min = "-1", style = "auto", description = "Context around each tile (the bundle's halo); -1 = the model's default")
    private int overlap = -1;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"}, description = "auto uses a GPU when one is usable")
    private String device = "auto";

    @Parameter(label = "Precision", choices = {"auto", "fp32", "bf16"}, persist = false,
            description = "Number format of inference, as restore --precision: auto = bf16 where the CPU computes it"
                    + " natively and the model's recorded bf16 check allows it, else fp32 (macros without precision= get auto)")
    private String precision = "auto";

    @Parameter(label = "Output pixels", choices = {PIXELS_FLOAT, PIXELS_SAME},
            description = "32-bit float keeps everything; same as input rounds and clamps")
    private String pixels = PIXELS_FLOAT;

    @Parameter(label = "Test-time augmentation (8x slower)", required = false, persist = false,
            description = "Average the restorations of the 8 flips/rotations and show their spread as an uncertainty map")
    private boolean tta = false;

    @Parameter(label = "Data-consistency QC map", required = false, persist = false,
            description = "Degrade the result back with the model's crappifier and map where it disagrees with the input")
    private boolean qc = false;

    @Parameter(type = ItemIO.OUTPUT, label = "Restored image")
    private ImagePlus restored;

    @Parameter(type = ItemIO.OUTPUT, label = "TTA uncertainty", required = false)
    private ImagePlus uncertainty;

    @Parameter(type = ItemIO.OUTPUT, label = "QC map", required = false)
    private ImagePlus qcMap;

    @Override
    public void run() {
        if (image == null) {
            fail("No image to restore; open one first");
            return;
        }
        int planes = image.getStackSize();
        String title = image.getTitle();
        Progress progress = new Progress() {
            private int plane;

            @Override
            public void started(String name, String dev) {
                super.started(name, dev);
                status.showStatus("Decrappify: restoring " + title + " with " + name + " on " + dev);
            }

            @Override
            public void tile(int done, int total) {
                status.showStatus(done, total, "Decrappify: restoring on " + device + ": " + title + " plane "
                        + (plane + 1) + "/" + planes + ", tile " + done + "/" + total);
            }

            @Override
            public void plane(int done, int total) {
                plane = done;
                status.showStatus(done, total, "Decrappify: restoring on " + device + ": " + title + " plane " + done
                        + "/" + total);
            }
        };
        restoring(title, model, () -> {
            ImageRestorer.Result result = new ImageRestorer(FijiModels.store()).restore(image, model.strip(),
                    request(tile, overlap, pixels, false, false), tta, qc, device(device),
                    Precision.parse(precision), progress);
            restored = result.image();
            uncertainty = result.uncertainty();
            qcMap = result.qcMap();
            status.showStatus("Decrappify: restored " + title + " on " + progress.device);
        }, () -> "restoring " + title + " canceled");
    }
}
