// Decrappify: fine-tune a model on your own microscope's images with the NoGAN recipe
// (Plugins > Decrappify > Fine-tune (NoGAN)...), then restore one of your LR images with the result.
//
// Data: hr = folder of high-resolution images; lr = (optional) folder of real low-resolution partners
// with the same file names, acquired on your microscope at 1/scale of the HR sampling. Without lr, the
// base model's own crappifier makes the LR images. Pairs may drift by a few pixels: the drift is measured
// and corrected. The new bundle is written to 'bundle'; the base model is only read.
// Try the whole pipeline first with 'quick' (every phase for a few steps: minutes on a laptop CPU), then
// run without it (hours on a CPU; a killed run continues with the same macro and 'resume').
// Menu: Plugins > Macros > Run... Headless:
//   ImageJ-linux64 --headless -macro Decrappify_Fine_Tune.ijm "model=em-x4-unet-s hr=/data/hr lr=/data/lr bundle=/models/my-em quick"
// Arguments (key=value; values with spaces in [brackets]):
//   model       base model: installed name, bundle folder or .zip (default em-x4-unet-s)
//   hr, lr      folders as above (lr optional);  validation: HR images held out for validation (optional)
//   bundle      folder of the new model bundle (its name is the model's name)
//   quick       minimal budgets;  resume: continue from <bundle>.work;  overwrite: replace an existing bundle
//   patch (LR px, default 32), batch (8), features (critic, encoder or none), alpha (0 = GAN generator,
//   1 = pre-GAN generator), seed (42)
// When lr is given, its first image is restored with the new model into <bundle>_example.tif.

arg = getArgument();
if (arg == "") {
    model = getString("Base model (installed name, bundle folder or .zip)", "em-x4-unet-s");
    hr = getDirectory("Folder of high-resolution images");
    lr = "";
    if (getBoolean("Do you have real low-resolution partners (same file names) of these images?"))
        lr = getDirectory("Folder of the low-resolution partners");
    bundle = getDirectory("Folder to write the new model bundle into (its name is the model's name)");
    arg = "quick";
} else {
    model = option(arg, "model", "em-x4-unet-s");
    hr = option(arg, "hr", "");
    lr = option(arg, "lr", "");
    bundle = option(arg, "bundle", "");
    if (hr == "" || bundle == "")
        exit("Decrappify_Fine_Tune: give hr=<folder> bundle=<folder> (and lr=<folder> for real pairs)");
}
validation = option(arg, "validation", "");
patch = parseInt(option(arg, "patch", "32"));
batch = parseInt(option(arg, "batch", "8"));
features = option(arg, "features", "critic");
alpha = parseFloat(option(arg, "alpha", "0"));
seed = parseInt(option(arg, "seed", "42"));
flags = "";
if (hasFlag(arg, "quick")) flags = flags + " quick";
if (hasFlag(arg, "resume")) flags = flags + " resume";
if (hasFlag(arg, "overwrite")) flags = flags + " overwrite";
if (endsWith(bundle, "/") || endsWith(bundle, "\\")) bundle = substring(bundle, 0, lengthOf(bundle) - 1);

setBatchMode(true);
run("Decrappify Fine-tune (NoGAN)...", "model=[" + model + "] hr=[" + hr + "] lr=[" + lr + "] validation=[" + validation
    + "] bundle=[" + bundle + "] patch=" + patch + " batch=" + batch + " features=" + features + " alpha=" + alpha
    + " device=auto seed=" + seed + flags);
print("Decrappify_Fine_Tune: model bundle " + bundle);

if (lr != "") {
    files = getFileList(lr);
    for (i = 0; i < files.length; i++) {
        if (File.isDirectory(lr + File.separator + files[i]))
            continue;
        open(lr + File.separator + files[i]);
        run("Decrappify Restore...", "model=[" + bundle + "] device=auto");
        saveAs("Tiff", bundle + "_example.tif");
        close("*");
        print("Decrappify_Fine_Tune: " + files[i] + " restored with the new model into " + bundle + "_example.tif");
        break;
    }
}

function option(arg, key, fallback) {
    return call("ij.Macro.getValue", arg + " ", key, fallback);
}

// A bare word (a checkbox in Fiji's recording style) present in the argument.
function hasFlag(arg, word) {
    // (a comparison after 'return' is not evaluated as one by the macro interpreter)
    if (indexOf(" " + arg + " ", " " + word + " ") >= 0)
        return true;
    return false;
}
