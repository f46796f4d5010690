package io.github.decrappify.train;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageSources;
import io.github.decrappify.image.ImageStackSource;
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
     * Reads all planes of {@code files} through the reader restore uses ({@link ImageSources#open}),
     * with its checks: truncated or corrupt files, RGB and colour-LUT images and NaN/Inf pixels are
     * refused, signed integers give their signed values.
     *
     * @param frames odd number of adjacent planes per sample (1 for single-plane models)
     * @throws TrainingException with the reader's one-line reason
     */
    public static List<Named> read(List<Path> files, int frames) throws IOException, TrainingException {
        List<Named> out = new ArrayList<>();
        for (Path f : files) {
            try (ImageStackSource src = ImageSources.open(f)) {
                read(src, f.getFileName().toString(), frames, out);
            } catch (BadInputException e) {
                throw new TrainingException(e.getMessage(), e);
            }
        }
        return out;
    }

    private static void read(ImageStackSource src, String base, int frames, List<Named> out) throws BadInputException {
        int nc = src.channels();
        int nz = src.slices();
        int nt = src.frames();
        boolean alongT = nt > 1 && nz == 1;
        int depth = alongT ? nt : nz;
        if (frames > 1 && depth == 1) {
            // Its planes would each be fed as copies of themselves, with independent noise per copy: a
            // model trained so averages noise that real neighbours do not share.
            throw new BadInputException(base + ": a " + frames + "-frame model needs adjacent planes along Z or T,"
                    + " but it has one plane" + (nc > 1 ? " and " + nc + " channels; if those are its sections,"
                    + " store them as slices (Fiji: Image > Hyperstacks > Re-order Hyperstack, or Image > Properties)" : ""));
        }
        for (int c = 0; c < nc; c++) {
            for (int other = 0; other < (alongT ? 1 : nt); other++) {
                FloatPlane[] line = new FloatPlane[depth]; // each plane read once, shared by the windows around it
                for (int d = 0; d < depth; d++) {
                    line[d] = alongT ? src.readFinitePlane(c, 0, d) : src.readFinitePlane(c, d, other);
                }
                for (int d = 0; d < depth; d++) {
                    FloatPlane[] planes = new FloatPlane[frames];
                    for (int k = 0; k < frames; k++) {
                        planes[k] = line[FrameWindow.mirror(d + k - frames / 2, depth)];
                    }
                    String name = base + (nc > 1 ? " c" + (c + 1) : "") + (depth > 1 ? " z" + (d + 1) : "")
                            + (nt > 1 && !alongT ? " t" + (other + 1) : "");
                    out.add(new Named(name, interleave(planes)));
                }
            }
        }
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
