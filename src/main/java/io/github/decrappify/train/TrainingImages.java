package io.github.decrappify.train;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.restore.FrameWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads training images: every 2D plane of every image file in the given files or folders (sorted by
 * name, so runs are reproducible), each channel and slice as its own grayscale plane. Multi-frame
 * models ({@code frames > 1}) get planes stacked with their neighbours along Z/T as channels.
 */
public final class TrainingImages {

    /** Extensions ImageJ opens without extra plugins. */
    static final List<String> EXTENSIONS = List.of(".tif", ".tiff", ".png", ".jpg", ".jpeg", ".gif", ".bmp");

    /** A named raw plane (input intensities, not normalised). */
    public record Named(String name, FloatPlane plane) {}

    private TrainingImages() {}

    /** Image files under {@code paths} (files taken as they are, folders listed non-recursively). */
    public static List<Path> list(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(TrainingImages::isImage).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IOException("training data not found: " + p);
            }
        }
        if (files.isEmpty()) {
            throw new IOException("no images (" + String.join(", ", EXTENSIONS) + ") in " + paths);
        }
        return files;
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /**
     * Reads all planes of {@code files}.
     *
     * @param frames odd number of adjacent planes per sample (1 for single-plane models)
     */
    public static List<Named> read(List<Path> files, int frames) throws IOException {
        List<Named> out = new ArrayList<>();
        for (Path f : files) {
            ImagePlus imp = IJ.openImage(f.toString());
            if (imp == null) {
                throw new IOException("cannot open " + f + " (not an image ImageJ can read)");
            }
            if (imp.getType() == ImagePlus.COLOR_RGB) {
                throw new IOException(f + " is RGB; convert it to 8/16/32-bit grayscale channels first");
            }
            String base = f.getFileName().toString();
            int nc = imp.getNChannels();
            int nz = imp.getNSlices();
            int nt = imp.getNFrames();
            boolean alongT = nt > 1 && nz == 1;
            int depth = alongT ? nt : nz;
            ImageStack stack = imp.getStack();
            for (int c = 1; c <= nc; c++) {
                for (int other = 1; other <= (alongT ? 1 : nt); other++) {
                    for (int d = 1; d <= depth; d++) {
                        FloatPlane[] planes = new FloatPlane[frames];
                        for (int k = 0; k < frames; k++) {
                            int dd = FrameWindow.mirror(d - 1 + k - frames / 2, depth) + 1;
                            int idx = alongT ? imp.getStackIndex(c, 1, dd) : imp.getStackIndex(c, dd, other);
                            float[] px = (float[]) stack.getProcessor(idx).convertToFloatProcessor().getPixels();
                            planes[k] = new FloatPlane(imp.getWidth(), imp.getHeight(), px);
                        }
                        String name = base + (nc > 1 ? " c" + c : "") + (depth > 1 ? " z" + d : "")
                                + (nt > 1 && !alongT ? " t" + other : "");
                        out.add(new Named(name, interleave(planes)));
                    }
                }
            }
            imp.close();
        }
        return out;
    }

    static FloatPlane interleave(FloatPlane[] planes) {
        if (planes.length == 1) {
            return planes[0];
        }
        int w = planes[0].width();
        int h = planes[0].height();
        int c = planes.length;
        float[] out = new float[w * h * c];
        for (int k = 0; k < c; k++) {
            float[] src = planes[k].data();
            for (int i = 0; i < w * h; i++) {
                out[i * c + k] = src[i];
            }
        }
        return new FloatPlane(w, h, c, out);
    }
}
