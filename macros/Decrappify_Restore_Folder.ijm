// Decrappify: restore every image of a folder with a model (Plugins > Decrappify > Restore folder...).
//
// Menu: Plugins > Macros > Run... and pick the folders and the model in the dialogs.
// Headless (a cluster node, a script):
//   ImageJ-linux64 --headless -macro Decrappify_Restore_Folder.ijm "input=/data/lr output=/data/x4 model=em-x4-unet-s"
//   ImageJ-linux64 --headless -macro Decrappify_Restore_Folder.ijm "input=/data/lr output=/data/x4 model=em-x4-unet-s tta qc"
// Arguments (key=value; put values with spaces in [brackets]):
//   input    folder of low-resolution images (whatever Fiji opens: TIFF, PNG, and with Bio-Formats CZI, LIF, ND2 ...)
//   output   folder for the results, created if missing: <name>.tif, 32-bit, pixel size divided by the scale,
//            the model recorded in the image's Info
//   model    installed model name, model bundle folder or bundle .zip (default em-x4-unet-s)
//   tile     tile size in LR pixels, 0 = the model's default; overlap: context in LR pixels, -1 = default
//   tta      test-time augmentation (8x slower): each result is the mean of the 8 flips/rotations, and their
//            spread is written beside it as <name>_uncertainty.tif (do not trust detail where it is high)
//   qc       data-consistency QC maps: each result degraded back with the model's crappifier and compared with
//            its input; <name>_qc.tif (input-sized error map) and <name>_qc.csv (RSE/RSP per plane) go to
//            qcfolder (default <output>/qc), the scores to the Log
// Complete outputs of an earlier run (with all their maps) are skipped, so a killed job continues where it
// stopped. A file that cannot be restored is named in the Log and the others are still done; a wrong folder
// or model stops the macro with one line in the Log.

arg = getArgument();
if (arg == "") {
    input = getDirectory("Folder of low-resolution images");
    output = getDirectory("Folder for the restored images");
    model = getString("Model (installed name, bundle folder or .zip)", "em-x4-unet-s");
    tile = 0;
    overlap = -1;
    checks = "";
} else {
    input = option(arg, "input", "");
    output = option(arg, "output", "");
    model = option(arg, "model", "em-x4-unet-s");
    tile = parseInt(option(arg, "tile", "0"));
    overlap = parseInt(option(arg, "overlap", "-1"));
    checks = "";
    if (indexOf(" " + arg + " ", " tta ") >= 0)
        checks = checks + " tta";
    qcfolder = option(arg, "qcfolder", "");
    if (indexOf(" " + arg + " ", " qc ") >= 0 || qcfolder != "")
        checks = checks + " qc qcfolder=[" + qcfolder + "]";
    if (input == "" || output == "")
        exit("Decrappify_Restore_Folder: give input=<folder> output=<folder>");
}
setBatchMode(true);
run("Decrappify Restore folder...", "input=[" + input + "] output=[" + output + "] model=[" + model + "] tile=" + tile
    + " overlap=" + overlap + " device=auto pixels=[32-bit float] skip" + checks);

// key=value (or key=[value]) from the macro argument
function option(arg, key, fallback) {
    return call("ij.Macro.getValue", arg + " ", key, fallback);
}
