// Decrappify: train a model on your own high-resolution images (Crappify... then Train...).
//
// 1. Crappify... makes a low-resolution, noisy copy of every HR image with the chosen preset and saves it
//    in <bundle>_crappified/: compare these with real acquisitions of your microscope before training
//    (if they look too clean or too noisy, fit a preset with 'decrappify crappify --fit' and pass its .yaml).
// 2. Train... trains a unet-s model (fresh noise on every patch, from the same preset) and writes the model
//    bundle to <bundle>/ (rdf.yaml, weights, test images, model card); Esc stops it at a checkpoint and
//    the same macro with resume continues.
// 3. The first crappified image is restored with the new model into <bundle>_crappified/restored_<name>.tif.
// Menu: Plugins > Macros > Run... Headless:
//   ImageJ-linux64 --headless -macro Decrappify_Crappify_And_Train.ijm "hr=/data/hr validation=/data/other_specimen bundle=/models/my-em-x4 scale=4 preset=em steps=3000"
// Arguments (key=value; values with spaces in [brackets]):
//   hr          folder of HR training images;  validation: HR images of another specimen (optional)
//   bundle      the model bundle folder to write (its name is the model's name)
//   scale (4), preset (em; fluo or a preset .yaml), steps (3000), patch (64 LR px), batch (8), seed (42)
//   resume      continue an interrupted training from its checkpoint

arg = getArgument();
if (arg == "") {
    hr = getDirectory("Folder of high-resolution training images");
    bundle = getDirectory("Folder to write the model bundle into (its name is the model's name)");
    arg = "validation= scale=4 preset=em steps=3000 patch=64 batch=8 seed=42";
} else {
    hr = option(arg, "hr", "");
    bundle = option(arg, "bundle", "");
    if (hr == "" || bundle == "")
        exit("Decrappify_Crappify_And_Train: give hr=<folder> bundle=<folder>");
}
validation = option(arg, "validation", "");
scale = parseInt(option(arg, "scale", "4"));
preset = option(arg, "preset", "em");
steps = parseInt(option(arg, "steps", "3000"));
patch = parseInt(option(arg, "patch", "64"));
batch = parseInt(option(arg, "batch", "8"));
seed = parseInt(option(arg, "seed", "42"));
resume = "";
if (indexOf(" " + arg + " ", " resume ") >= 0)
    resume = " resume";
if (endsWith(hr, "/") || endsWith(hr, "\\")) hr = substring(hr, 0, lengthOf(hr) - 1);
if (endsWith(bundle, "/") || endsWith(bundle, "\\")) bundle = substring(bundle, 0, lengthOf(bundle) - 1);

setBatchMode(true);
preview = bundle + "_crappified" + File.separator;
File.makeDirectory(File.getParent(bundle));
File.makeDirectory(preview);
if (!File.isDirectory(preview))
    exit("Decrappify_Crappify_And_Train: cannot create " + preview);
files = getFileList(hr);
first = "";
for (i = 0; i < files.length; i++) {
    if (File.isDirectory(hr + File.separator + files[i]))
        continue;
    open(hr + File.separator + files[i]);
    run("Decrappify Crappify...", "preset=[" + preset + "] scale=" + scale + " seed=" + (seed + i));
    saveAs("Tiff", preview + files[i]);
    if (first == "")
        first = files[i];
    close("*");
}
if (first == "")
    exit("Decrappify_Crappify_And_Train: no images in " + hr);
print("Decrappify_Crappify_And_Train: crappified images in " + preview);

run("Decrappify Train...", "hr=[" + hr + "] validation=[" + validation + "] scale=" + scale + " preset=[" + preset
    + "] steps=" + steps + " patch=" + patch + " batch=" + batch + " seed=" + seed + " device=auto bundle=["
    + bundle + "]" + resume);

open(preview + first);
run("Decrappify Restore...", "model=[" + bundle + "] device=auto");
saveAs("Tiff", preview + "restored_" + first);
close("*");
print("Decrappify_Crappify_And_Train: model " + bundle + "; example restoration " + preview + "restored_" + first);

function option(arg, key, fallback) {
    return call("ij.Macro.getValue", arg + " ", key, fallback);
}
