package io.github.decrappify.fiji.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;

/**
 * Plain, unpatched ImageJ 1 running one plug-in as a macro's {@code run(...)} would:
 * {@code java -Dplugins.dir=DIR ... PlainImageJMain INPUT OUTPUT CLASS ARG OPTIONS}. Unlike
 * {@link MacroRunnerMain} (ij1-patcher, which hands plug-ins Fiji's flat class path) the plug-in and its
 * jars come from ImageJ's own plug-in class loader over {@code DIR/plugins} and {@code DIR/jars}, as in
 * a plain ImageJ installation. Saves the image the plug-in leaves current; exit 0 if it changed.
 */
public final class PlainImageJMain {

    private PlainImageJMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Interpreter.batchMode = true;
        ImagePlus input = IJ.openImage(args[0]);
        Interpreter.addBatchModeImage(input);
        // ImageJ hands macro options only to threads it knows as macro threads ("Run$_...").
        ImagePlus[] current = new ImagePlus[1];
        Thread thread = new Thread(() -> {
            // The current image is per thread in batch mode.
            WindowManager.setTempCurrentImage(input);
            Macro.setOptions(args[4]);
            IJ.runPlugIn(args[2], args[3]);
            current[0] = WindowManager.getCurrentImage();
        }, "Run$_plain");
        thread.start();
        thread.join();
        save(input, current[0], args[1]);
    }

    private static void save(ImagePlus input, ImagePlus current, String path) {
        if (current == null || current == input) {
            System.out.println("NO NEW IMAGE");
            System.exit(1);
        }
        System.out.println("SAVED " + current.getTitle());
        IJ.saveAsTiff(current, path);
        System.exit(0);
    }
}
