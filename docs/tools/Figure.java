import ij.IJ;
import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.metrics.Registration;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A before/after figure for the docs: LR | restored | truth, side by side, the same region of each, as
 * a small 8-bit grayscale PNG with a label over every panel. Run by docs/tools/make-figures.sh:
 *
 * <pre>
 * java -cp "target/classes:target/lib/*" docs/tools/Figure.java OUT.png SCALE X,Y,SIZE LR.tif RESTORED.tif TRUTH.tif \
 *      "LR label" "restored label" "truth label" [register]
 * </pre>
 *
 * X, Y and SIZE are in HR pixels of the restored image. The LR panel is the input enlarged by SCALE
 * with nearest-neighbour pixels (what the microscope recorded, pixel for pixel). Each panel is
 * stretched to its own 0.5–99.5 % percentiles: LR, restoration and truth need not share intensity
 * units. {@code register}: the truth is shifted by the phase correlation between it and the
 * restoration (for real LR/HR acquisitions, which are offset by a few pixels); the shift is printed.
 */
public final class Figure {

    private static final int GAP = 4;
    private static final int LABEL_HEIGHT = 22;

    public static void main(String[] args) {
        if (args.length < 9) {
            System.err.println("usage: Figure OUT.png SCALE X,Y,SIZE LR RESTORED TRUTH LR_LABEL RESTORED_LABEL TRUTH_LABEL [register]");
            System.exit(2);
        }
        String out = args[0];
        int scale = Integer.parseInt(args[1]);
        int[] region = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int x = region[0], y = region[1], size = region[2];
        FloatProcessor lr = open(args[3]);
        FloatProcessor restored = open(args[4]);
        FloatProcessor truth = open(args[5]);
        boolean register = args.length > 9 && args[9].equals("register");

        lr.setInterpolationMethod(ImageProcessor.NONE);
        FloatProcessor lrBig = (FloatProcessor) lr.resize(lr.getWidth() * scale, lr.getHeight() * scale);
        int dx = 0, dy = 0;
        if (register) {
            int w = Math.min(restored.getWidth(), truth.getWidth());
            int h = Math.min(restored.getHeight(), truth.getHeight());
            Registration.Shift s = Registration.phaseCorrelation(plane(restored, w, h), plane(truth, w, h));
            dx = s.roundedX();
            dy = s.roundedY();
            System.out.printf(Locale.ROOT, "%s: truth shifted by (%.2f, %.2f) HR px to match the restoration%n", out, s.dx(), s.dy());
        }
        List<ByteProcessor> panels = new ArrayList<>();
        panels.add(stretch(crop(lrBig, x, y, size)));
        panels.add(stretch(crop(restored, x, y, size)));
        panels.add(stretch(crop(truth, x + dx, y + dy, size)));
        String[] labels = {args[6], args[7], args[8]};

        int width = panels.size() * size + (panels.size() - 1) * GAP;
        ByteProcessor figure = new ByteProcessor(width, LABEL_HEIGHT + size);
        figure.setColor(Color.WHITE);
        figure.fill();
        figure.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        figure.setAntialiasedText(true);
        figure.setColor(Color.BLACK);
        for (int i = 0; i < panels.size(); i++) {
            int left = i * (size + GAP);
            figure.insert(panels.get(i), left, LABEL_HEIGHT);
            figure.drawString(labels[i], left + 2, LABEL_HEIGHT - 4);
        }
        if (!new ij.io.FileSaver(new ImagePlus("figure", figure)).saveAsPng(out)) {
            System.err.println("cannot write " + out);
            System.exit(1);
        }
    }

    private static FloatProcessor open(String path) {
        ImagePlus imp = IJ.openImage(path);
        if (imp == null) {
            System.err.println("cannot open " + path);
            System.exit(1);
        }
        return imp.getProcessor().convertToFloatProcessor();
    }

    private static FloatPlane plane(FloatProcessor fp, int w, int h) {
        float[] data = new float[w * h];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                data[j * w + i] = fp.getf(i, j);
            }
        }
        return new FloatPlane(w, h, data);
    }

    /** A SIZE² crop; parts outside the image (a shifted truth near its border) stay black. */
    private static FloatProcessor crop(FloatProcessor fp, int x, int y, int size) {
        FloatProcessor c = new FloatProcessor(size, size);
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                int sx = x + i, sy = y + j;
                c.setf(i, j, sx >= 0 && sy >= 0 && sx < fp.getWidth() && sy < fp.getHeight() ? fp.getf(sx, sy) : Float.NaN);
            }
        }
        return c;
    }

    private static ByteProcessor stretch(FloatProcessor fp) {
        float[] px = (float[]) fp.getPixels();
        float[] sorted = new float[px.length];
        int n = 0;
        for (float v : px) {
            if (!Float.isNaN(v)) {
                sorted[n++] = v;
            }
        }
        Arrays.sort(sorted, 0, n);
        float lo = sorted[(int) (0.005 * (n - 1))];
        float hi = sorted[(int) (0.995 * (n - 1))];
        ByteProcessor b = new ByteProcessor(fp.getWidth(), fp.getHeight());
        for (int i = 0; i < px.length; i++) {
            float v = Float.isNaN(px[i]) ? lo : px[i];
            b.set(i, (int) Math.round(255 * Math.min(1, Math.max(0, (v - lo) / Math.max(1e-12f, hi - lo)))));
        }
        return b;
    }
}
