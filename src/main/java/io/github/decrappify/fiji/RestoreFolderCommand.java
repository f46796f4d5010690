package io.github.decrappify.fiji;

import io.github.decrappify.restore.FolderReport;
import io.github.decrappify.runtime.Precision;
import java.io.File;
import java.nio.file.Path;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › Decrappify › Decrappify Restore folder…: restores every image of a folder into TIFFs of the same
 * names in another folder (the twin of {@code decrappify restore -i DIR -o DIR [--tta] [--qc DIR]}). A
 * bad file is listed in the log and the others are still restored.
 * <pre>
 * run("Decrappify Restore folder...", "input=/data/lr output=/data/restored model=em-x4-unet-s tile=0 overlap=-1 device=auto precision=auto pixels=[32-bit float] skip");
 * run("Decrappify Restore folder...", "input=/data/lr output=/data/restored model=em-x4-unet-s tile=0 overlap=-1 device=auto precision=auto pixels=[32-bit float] skip tta qc");
 * </pre>
 * With {@code tta} each result is the mean of the 8 flips/rotations and its spread is written beside it
 * as {@code <name>_uncertainty.tif}; with {@code qc} each image's data-consistency error map goes to
 * {@code <name>_qc.tif} (input-sized) and its RSE/RSP per plane to {@code <name>_qc.csv}, in
 * {@code qcfolder} (default {@code <output>/qc}), and the scores to the log. "Skip existing outputs"
 * skips an image only when all of its files are complete.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Decrappify>Decrappify Restore folder...", attrs = @Attr(name = "help", value = "restore-in-fiji.md#the-commands"),
        description = "Restore every image in a folder with a Decrappify model")
public final class RestoreFolderCommand extends RestoringCommand {

    @Parameter(label = "Input folder", style = "directory")
    private File input;

    @Parameter(label = "Output folder", style = "directory", description = "Created if missing; outputs are <name>.tif")
    private File output;

    @Parameter(label = "Model", style = "decrappify-model", description = FijiModels.MODEL_DESCRIPTION)
    private String model = FijiModels.DEFAULT_MODEL;

    @Parameter(label = "Tile size (LR pixels)", min = "0", style = "auto", description = "0 = the model's default (as --tile 0 on the command line); a tile at least the plane's size restores it whole")
    private int tile = 0;

    @Parameter(label = "Overlap (LR pixels)", min = "-1", style = "auto", description = "Context around each tile (the bundle's halo); -1 = the model's default")
    private int overlap = -1;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
    private String device = "auto";

    @Parameter(label = "Precision", choices = {"auto", "fp32", "bf16"}, persist = false,
            description = "Number format of inference, as restore --precision: auto = bf16 where the CPU computes it"
                    + " natively and the model's recorded bf16 check allows it, else fp32 (macros without precision= get auto)")
    private String precision = "auto";

    @Parameter(label = "Output pixels", choices = {PIXELS_FLOAT, PIXELS_SAME})
    private String pixels = PIXELS_FLOAT;

    @Parameter(label = "Skip existing outputs", description = "Leave complete outputs of an earlier run alone")
    private boolean skip = false;

    @Parameter(label = "Overwrite existing outputs")
    private boolean overwrite = false;

    @Parameter(label = "Test-time augmentation (8x slower)", required = false, persist = false,
            description = "Average the restorations of the 8 flips/rotations; their spread goes beside each output"
                    + " as <name>_uncertainty.tif")
    private boolean tta = false;

    @Parameter(label = "Data-consistency QC maps", required = false, persist = false,
            description = "Degrade each result back with the model's crappifier and map where it disagrees with its input"
                    + " (<name>_qc.tif and .csv)")
    private boolean qc = false;

    @Parameter(label = "QC map folder (optional)", style = "directory", required = false, persist = false,
            description = "Where the QC maps go; empty = <output folder>/qc")
    private File qcfolder;

    @Parameter(type = ItemIO.OUTPUT, label = "Decrappify")
    private String report;

    @Override
    public void run() {
        if (input == null || output == null) {
            fail("Give an input and an output folder");
            return;
        }
        int[] file = {0};
        Progress progress = new Progress() {
            private String current = "";

            @Override
            public void started(String name, String dev) {
                super.started(name, dev);
                log.info("Decrappify: restoring " + input + " with " + name + " on " + dev);
            }

            @Override
            public void plane(int done, int total) {
                status.showStatus(done, total, "Decrappify: restoring on " + device + ": " + current + " plane "
                        + done + "/" + total);
            }

            @Override
            public void message(String text) {
                if (text.startsWith("Image ")) {
                    file[0]++;
                    current = text;
                    status.showStatus("Decrappify: " + text);
                }
                if (text.startsWith("Failed ")) {
                    log.warn("Decrappify: " + text);
                } else {
                    super.message(text);
                }
            }
        };
        restoring(input.toString(), model, () -> {
            Path qcFolder = !qc ? null : qcfolder == null || qcfolder.getPath().isBlank() ? output.toPath().resolve("qc")
                    : qcfolder.toPath();
            FolderReport r = new ImageRestorer(FijiModels.store()).restoreFolder(input.toPath(), output.toPath(),
                    model.strip(), request(tile, overlap, pixels, overwrite, skip), tta, qcFolder, device(device),
                    Precision.parse(precision), progress);
            report = "Restored " + r.restored() + ", skipped " + r.skipped() + ", failed " + r.failureCount()
                    + " (into " + output + (qcFolder == null ? "" : "; QC maps in " + qcFolder) + ")";
            for (FolderReport.Failure f : r.failures()) {
                log.error("Decrappify: failed " + f.input() + ": " + f.reason());
            }
            log.info("Decrappify: " + report);
            status.showStatus("Decrappify: " + report);
        }, () -> "restoring " + input + " canceled during image " + file[0] + "; finished images are kept");
    }
}
