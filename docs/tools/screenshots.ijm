// The ImageJ half of docs/tools/screenshots.sh (see there): started with ImageJ, it waits for requests
// from the script (a file named after the step in the work folder), arranges the windows for the next
// screenshot with ImageJ's own zoom, and answers with done-<step>. The menus and the dialog are driven
// by the script (xdotool); this macro never runs a Decrappify command itself.
//
// Argument: "WORK_FOLDER/|INPUT_TITLE|MODEL|LR_X,LR_Y,LR_SIZE|SCALE"
args = split(getArgument(), "|");
work = args[0];
input = args[1];
model = args[2];
view = split(args[3], ",");
cx = parseInt(view[0]);
cy = parseInt(view[1]);
size = parseInt(view[2]);
scale = parseInt(args[4]);
magLr = 400;
magHr = magLr / scale;     // the same field on a canvas of the same size: the restoration at 100 %
canvas = size * magLr / 100;
restored = input + " restored by " + model;
qc = input + " QC map (" + model + ")";
uncertainty = input + " TTA uncertainty (" + model + ")";

function answer(step) {
    ok = File.delete(work + step);
    File.saveString("", work + "done-" + step);
}

// Shows a square region of an image, SIZE pixels wide around X, Y, at a zoom in a window just large
// enough for it (ImageJ's Image > Zoom > Set... with a rectangle selected), its top left at LEFT, TOP.
function show(title, x, y, size, mag, left, top) {
    selectWindow(title);
    makeRectangle(x - size / 2, y - size / 2, size, size);
    run("Set... ", "zoom=" + mag + " x=" + x + " y=" + y + " width=" + size + " height=" + size);
    setLocation(left, top);
}

while (!File.exists(work + "quit")) {
    if (File.exists(work + "place-input")) {
        selectWindow(input);
        setLocation(0, 130);
        showStatus("");        // not the opening time, which differs on every run
        answer("place-input");
    }
    if (File.exists(work + "arrange-result")) {
        show(input, cx, cy, size, magLr, 0, 130);
        show(restored, cx * scale, cy * scale, size * scale, magHr, canvas + 40, 130);
        show(qc, cx, cy, size, magLr, 2 * canvas + 80, 130);
        show(uncertainty, cx * scale, cy * scale, size * scale, magHr, 3 * canvas + 120, 130);
        answer("arrange-result");
    }
    if (File.exists(work + "close-all")) {
        run("Close All");
        answer("close-all");
    }
    wait(200);
}
ok = File.delete(work + "quit");
