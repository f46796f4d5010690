// Decrappify: restore one stack that may be larger than the memory (Plugins > Decrappify > Restore...).
//
// The TIFF is opened as a virtual stack (planes are read when needed); a result larger than half of the
// free memory is written plane by plane to a temporary TIFF and opened as a virtual stack, then saved to
// the output file. Memory use stays near a few planes plus the model, whatever the stack's size.
// Menu: Plugins > Macros > Run... and pick the files. Headless:
//   ImageJ-linux64 --headless -macro Decrappify_Restore_Large_Stack.ijm "input=/data/stack.tif output=/data/stack_x4.tif model=em-x4-unet-s"
// Arguments (key=value; values with spaces in [brackets]):
//   input    an 8/16/32-bit TIFF stack or ImageJ hyperstack (C, Z, T kept; for other formats open it with
//            Bio-Formats as a virtual stack and run Plugins > Decrappify > Restore... on it)
//   output   the TIFF to write (32-bit, pixel size divided by the scale, the model in the Info); an existing
//            file is left alone and the macro stops, unless overwrite is given
//   model    installed model name, bundle folder or .zip (default em-x4-unet-s)
//   tile     tile size in LR pixels, 0 = the model's default; overlap: -1 = the model's default

arg = getArgument();
if (arg == "") {
    input = File.openDialog("Stack to restore (TIFF)");
    output = File.saveDialog("Save the restored stack as", "restored.tif");
    model = getString("Model (installed name, bundle folder or .zip)", "em-x4-unet-s");
    tile = 0;
    overlap = -1;
    overwrite = true;
} else {
    input = option(arg, "input", "");
    output = option(arg, "output", "");
    model = option(arg, "model", "em-x4-unet-s");
    tile = parseInt(option(arg, "tile", "0"));
    overlap = parseInt(option(arg, "overlap", "-1"));
    overwrite = indexOf(" " + arg + " ", " overwrite ") >= 0;
    if (input == "" || output == "")
        exit("Decrappify_Restore_Large_Stack: give input=<file> output=<file>");
}
if (File.exists(output) && !overwrite)
    exit("Decrappify_Restore_Large_Stack: " + output + " exists; give overwrite to replace it");
setBatchMode(true);
run("TIFF Virtual Stack...", "open=[" + input + "]");
lr = getImageID();
run("Decrappify Restore...", "model=[" + model + "] tile=" + tile + " overlap=" + overlap + " device=auto pixels=[32-bit float]");
// Save to a temporary name first, so an interrupted save never leaves a truncated output behind.
partial = output + ".part.tif";
saveAs("Tiff", partial);
close();
selectImage(lr);
close();
if (File.exists(output))
    deleted = File.delete(output);
if (!File.rename(partial, output))
    exit("Decrappify_Restore_Large_Stack: cannot rename " + partial + " to " + output);
print("Decrappify_Restore_Large_Stack: wrote " + output);

function option(arg, key, fallback) {
    return call("ij.Macro.getValue", arg + " ", key, fallback);
}
