package io.github.decrappify.train.nogan;

import io.github.decrappify.image.Folders;
import ij.IJ;
import ij.ImagePlus;
import ij.process.FloatProcessor;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.train.Crops;
import io.github.decrappify.train.TrainJob;
import io.github.decrappify.train.TrainingPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Step 2 of the recipe: the current generator's output on (crops of) the training images, saved as
 * 32-bit TIFFs in {@code <work>/generated/<phase>/} for the critic to learn from (and for the user to
 * look at). Each entry pairs a real HR crop with the generated image of the same field, so critic
 * batches compare like with like. Crops are at most {@link #MAX_CROP} LR pixels per side; which crops
 * and which synthetic noise depend only on the data and the seed, so a resumed run rebuilds the same set.
 */
final class GeneratedImages {

    static final int MAX_CROP = 256;

    /** A crop in LR pixels of training plane {@code pair}. */
    record Crop(int pair, int x, int y, int w, int h) {}

    private GeneratedImages() {}

    /** Crops tiling each training plane (the last ones overlapping), at most {@code max}, chosen by {@code seed}. */
    static List<Crop> plan(List<TrainingPair> train, int scale, int multiple, int max, long seed) {
        List<Crop> all = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            int lw = train.get(i).hr().width() / scale;
            int lh = train.get(i).hr().height() / scale;
            int cw = Math.min(MAX_CROP, lw) / multiple * multiple;
            int ch = Math.min(MAX_CROP, lh) / multiple * multiple;
            for (int y : starts(lh, ch)) {
                for (int x : starts(lw, cw)) {
                    all.add(new Crop(i, x, y, cw, ch));
                }
            }
        }
        if (all.size() > max) {
            Collections.shuffle(all, new Random(seed));
            all = new ArrayList<>(all.subList(0, max));
            all.sort(Comparator.comparingInt(Crop::pair).thenComparingInt(Crop::y).thenComparingInt(Crop::x));
        }
        return all;
    }

    private static List<Integer> starts(int length, int crop) {
        List<Integer> s = new ArrayList<>();
        for (int p = 0; p + crop <= length; p += crop) {
            s.add(p);
        }
        if (s.get(s.size() - 1) + crop < length) {
            s.add(length - crop);
        }
        return s;
    }

    /** Runs the generator on every crop and writes {@code dir} (complete or absent: written under a temporary name). */
    static List<TrainingPair> make(NoGanGraph graph, List<TrainingPair> train, Crappifier crappifier, List<Crop> plan,
            int scale, long seed, Path dir) throws IOException {
        Path part = dir.resolveSibling(dir.getFileName() + ".part");
        Folders.deleteTree(part);
        Files.createDirectories(part);
        List<TrainingPair> out = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Crop c = plan.get(i);
            TrainingPair p = train.get(c.pair());
            FloatPlane hr = Crops.crop(p.hr(), c.x() * scale, c.y() * scale, c.w() * scale, c.h() * scale);
            FloatPlane lr = p.paired() ? Crops.crop(p.lr(), c.x(), c.y(), c.w(), c.h()) : synthetic(crappifier, hr, seed, i);
            float[] fake = graph.predict(lr.data(), 1, c.h(), c.w());
            FloatPlane real = hr.channels() == 1 ? hr : hr.channel(hr.channels() / 2);
            String name = fileName(i, p.name());
            IJ.saveAsTiff(new ImagePlus(name, new FloatProcessor(c.w() * scale, c.h() * scale, fake)),
                    part.resolve(name).toString());
            out.add(new TrainingPair(name, real, new FloatPlane(c.w() * scale, c.h() * scale, fake)));
        }
        Folders.deleteTree(dir);
        Folders.moveAtomically(part, dir);
        return out;
    }

    /** Reads a set written by {@link #make} back (resume); {@code null} if it is missing or incomplete. */
    static List<TrainingPair> load(List<TrainingPair> train, List<Crop> plan, int scale, Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        List<TrainingPair> out = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Crop c = plan.get(i);
            TrainingPair p = train.get(c.pair());
            String name = fileName(i, p.name());
            Path f = dir.resolve(name);
            FloatPlane fake = readBack(f, c.w() * scale, c.h() * scale);
            if (fake == null) {
                return null;
            }
            FloatPlane hr = Crops.crop(p.hr(), c.x() * scale, c.y() * scale, c.w() * scale, c.h() * scale);
            FloatPlane real = hr.channels() == 1 ? hr : hr.channel(hr.channels() / 2);
            out.add(new TrainingPair(name, real, fake));
        }
        return out;
    }

    /**
     * One saved image through the reader every command uses, or {@code null} (regenerate the set) when it
     * is missing, damaged (truncated, NaN) or of another size.
     */
    private static FloatPlane readBack(Path f, int w, int h) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try (ImageStackSource src = ImageJStackSource.open(f)) {
            return src.width() == w && src.height() == h && src.planeCount() == 1 ? src.readFinitePlane(0, 0, 0) : null;
        } catch (BadInputException e) {
            return null;
        }
    }

    private static FloatPlane synthetic(Crappifier crappifier, FloatPlane hr, long seed, int i) {
        Random rng = new Random(seed * 31 + i);
        return TrainJob.degradeChannels(crappifier, hr, crappifier.params().sampleLevel(rng), rng);
    }

    static String fileName(int i, String planeName) {
        return String.format(java.util.Locale.ROOT, "%04d_%s.tif", i, planeName.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
