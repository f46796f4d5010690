// Decrappify: score restored images against ground truth (Plugins > Decrappify > Evaluate...).
//
// Every image of the truth folder is paired with the restored image of the same name in the prediction
// folder (the extension may differ: a.png <-> a.tif); stacks are scored plane by plane. With a folder of the
// LR inputs (same names), each image also gets the bicubic and the best Gaussian-smoothed bicubic baselines:
// a model is only worth using where it beats them. Use images the model never saw, of another specimen.
// Writes a CSV (one row per image or plane and a final 'mean' row: psnr, ssim, nrmse, frc_px, ...,
// bicubic_psnr, smoothed_psnr, ...) and the summary plot (PSNR and SSIM per image, model vs baselines) as
// PNG; the means go to the Log. Two files instead of folders score one pair.
// Menu: Plugins > Macros > Run... and fill in the dialog. Headless:
//   ImageJ-linux64 --headless -macro Decrappify_Evaluate.ijm "prediction=/data/x4 truth=/data/hr lr=/data/lr scale=4 csv=/data/x4_scores.csv"
// Arguments (key=value; values with spaces in [brackets]):
//   prediction  folder of restored images (or one file);  truth: folder of ground-truth images (or one file)
//   lr          folder of the LR inputs, for the baselines (optional);  scale: LR to truth factor (default 4)
//   csv         the CSV to write (default <prediction>_evaluation.csv beside the prediction folder)
//   plot        the PNG to write (default: the CSV's name with .png)
//   margin      truth pixels left out at each border (default 0)
//   register    align each prediction to its truth first (real HR/LR pairs);  fit: fit gain and offset
//               (prediction and truth from different acquisitions)
// Names that do not match, sizes that differ (LR x scale must equal the truth) or unreadable images stop the
// macro with one line in the Log and nothing written.

arg = getArgument();
if (arg == "") {
    Dialog.create("Decrappify: evaluate");
    Dialog.addDirectory("Restored images", "");
    Dialog.addDirectory("Ground truth (same names)", "");
    Dialog.addDirectory("LR inputs for baselines (optional)", "");
    Dialog.addNumber("Scale (LR to truth)", 4);
    Dialog.addNumber("Margin left out (truth pixels)", 0);
    Dialog.addCheckbox("Register to the truth (real pairs)", false);
    Dialog.addCheckbox("Fit gain and offset (different acquisitions)", false);
    Dialog.show();
    prediction = Dialog.getString();
    truth = Dialog.getString();
    lr = Dialog.getString();
    scale = Dialog.getNumber();
    margin = Dialog.getNumber();
    flags = "";
    if (Dialog.getCheckbox()) flags = flags + " register";
    if (Dialog.getCheckbox()) flags = flags + " fit";
    csv = "";
    plot = "";
} else {
    prediction = option(arg, "prediction", "");
    truth = option(arg, "truth", "");
    lr = option(arg, "lr", "");
    scale = parseInt(option(arg, "scale", "4"));
    margin = parseInt(option(arg, "margin", "0"));
    csv = option(arg, "csv", "");
    plot = option(arg, "plot", "");
    flags = "";
    if (indexOf(" " + arg + " ", " register ") >= 0) flags = flags + " register";
    if (indexOf(" " + arg + " ", " fit ") >= 0) flags = flags + " fit";
}
if (prediction == "" || truth == "")
    exit("Decrappify_Evaluate: give prediction=<folder or file> truth=<folder or file>");
if (isNaN(scale) || isNaN(margin))
    exit("Decrappify_Evaluate: scale and margin must be whole numbers");
prediction = withoutTrailingSeparator(prediction);
truth = withoutTrailingSeparator(truth);
lr = withoutTrailingSeparator(lr);
if (csv == "") {
    name = File.getName(prediction);
    if (!File.isDirectory(prediction) && lastIndexOf(name, ".") > 0)
        name = substring(name, 0, lastIndexOf(name, "."));
    csv = File.getParent(prediction) + File.separator + name + "_evaluation.csv";
}
if (plot == "") {
    plot = csv;
    if (endsWith(toLowerCase(plot), ".csv"))
        plot = substring(plot, 0, lengthOf(plot) - 4);
    plot = plot + ".png";
}

setBatchMode(true);
run("Decrappify Evaluate...", "prediction=[" + prediction + "] truth=[" + truth + "] lr=[" + lr + "] scale=" + scale
    + " margin=" + margin + " csv=[" + csv + "] plot=[" + plot + "]" + flags);
if (nImages > 0 && getTitle() == "Decrappify evaluation")
    close(); // the summary plot, saved as PNG
print("Decrappify_Evaluate: wrote " + csv + " and " + plot);

// key=value (or key=[value]) from the macro argument
function option(arg, key, fallback) {
    return call("ij.Macro.getValue", arg + " ", key, fallback);
}

function withoutTrailingSeparator(path) {
    while (lengthOf(path) > 1 && (endsWith(path, "/") || endsWith(path, "\\")))
        path = substring(path, 0, lengthOf(path) - 1);
    return path;
}
