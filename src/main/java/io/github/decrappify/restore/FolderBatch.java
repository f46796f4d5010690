package io.github.decrappify.restore;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.qc.DataConsistency;
import io.github.decrappify.qc.QcTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A {@link Restorer}'s folder job: every image of a folder into {@code <name>.tif} in another, each file under the
 * {@link OutputPolicy} as {@link Restorer#restoreFile} applies it. Every output is planned before anything is
 * written, so two inputs never write the same file and no input is replaced by another's restoration; a bad image
 * is reported and the batch goes on.
 */
final class FolderBatch {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "gif", "bmp",
            "pgm", "fits", "fit", "dcm");

    private final Restorer restorer;
    private final RestoreListener listener;
    private final boolean tta;
    private final DataConsistency qc;

    FolderBatch(Restorer restorer) {
        this.restorer = restorer;
        this.listener = restorer.listener();
        this.tta = restorer.tta();
        this.qc = restorer.qc();
    }

    /** See {@link Restorer#restoreFolder(Path, Path, Path)}. */
    FolderReport restore(Path inputFolder, Path outputFolder, Path qcFolder) throws BadInputException,
            IOException {
        Path qcDir = null;
        if (qc != null) {
            if (qcFolder == null) {
                throw new IllegalArgumentException("QC is on: give a folder for the QC maps");
            }
            qcDir = qcFolder.toAbsolutePath().normalize();
            String name = qcDir.getFileName().toString().toLowerCase(Locale.ROOT);
            if ((Files.exists(qcDir) && !Files.isDirectory(qcDir)) || (!Files.exists(qcDir)
                    && (name.endsWith(".tif") || name.endsWith(".tiff")))) {
                throw new BadInputException("QC output " + qcDir + " is a file; give a folder for folder mode");
            }
            TiffOutput.requireWritableFolder(qcDir);
        }
        Path in = inputFolder.toAbsolutePath().normalize();
        Path out = outputFolder.toAbsolutePath().normalize();
        if (!Files.isDirectory(in)) {
            throw new BadInputException("Input folder " + in + " does not exist or is not a folder");
        }
        requireFolderName("Output", out);
        TiffOutput.requireWritableFolder(out);
        List<Path> images;
        try (Stream<Path> files = Files.list(in)) {
            images = files.filter(FolderBatch::looksLikeImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new BadInputException("Input folder " + in + " holds no images (by extension: "
                    + String.join(", ", new java.util.TreeSet<>(IMAGE_EXTENSIONS)) + "); check the path");
        }
        Map<Path, String> collisions = collisions(images, out, qcDir);
        int restored = 0;
        int skipped = 0;
        List<FolderReport.Failure> failures = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Path image = images.get(i);
            Path target = out.resolve(baseName(image) + ".tif");
            listener.message("Image " + (i + 1) + " of " + images.size() + ": " + image.getFileName());
            try {
                if (!Files.exists(image)) {
                    throw new BadInputException(image.getFileName() + " is a link to a missing file");
                }
                if (collisions.containsKey(image)) {
                    throw new BadInputException(collisions.get(image));
                }
                Path qcMap = qcDir == null ? null : qcDir.resolve(baseName(image) + "_qc.tif");
                if (restorer.restoreFile(image, target, qcMap) == Restorer.Outcome.SKIPPED) {
                    skipped++;
                } else {
                    restored++;
                }
            } catch (BadInputException | IOException e) {
                failures.add(new FolderReport.Failure(image, e.getMessage()));
                listener.message("Failed " + image.getFileName() + ": " + e.getMessage());
            }
        }
        listener.message("Restored " + restored + ", skipped " + skipped + ", failed " + failures.size());
        return new FolderReport(restored, skipped, failures);
    }

    /**
     * Every file the folder job would write, planned before anything is written: an image whose outputs
     * (restoration, uncertainty map, QC map and CSV) are also another image's outputs, or replace another
     * input, is refused with the reason (both images of a collision, so that neither input is replaced by
     * the other's restoration). An image may replace itself only with overwrite, as in {@link #restoreFile}.
     */
    private Map<Path, String> collisions(List<Path> images, Path out, Path qcDir) {
        Map<Path, Path> inputs = new HashMap<>();
        Map<Path, List<Path>> writers = new LinkedHashMap<>();
        for (Path image : images) {
            inputs.put(canonical(image), image);
        }
        for (Path image : images) {
            for (Path f : folderOutputs(image, out, qcDir)) {
                writers.computeIfAbsent(canonical(f), k -> new ArrayList<>()).add(image);
            }
        }
        Map<Path, String> reasons = new LinkedHashMap<>();
        for (Map.Entry<Path, List<Path>> w : writers.entrySet()) {
            List<Path> by = w.getValue();
            String name = w.getKey().getFileName().toString();
            if (by.size() > 1) {
                String all = String.join(" and ", by.stream().map(p -> p.getFileName().toString()).toList());
                for (Path image : by) {
                    reasons.putIfAbsent(image, all + " would all be written to " + name + "; rename one of them");
                }
            }
            Path input = inputs.get(w.getKey());
            if (input != null) {
                for (Path image : by) {
                    if (!image.equals(input)) {
                        reasons.putIfAbsent(image, "its output " + name + " would replace the input " + input.getFileName()
                                + "; choose another output folder or rename one of them");
                    }
                }
            }
        }
        return reasons;
    }

    private List<Path> folderOutputs(Path image, Path out, Path qcDir) {
        Path target = out.resolve(baseName(image) + ".tif");
        List<Path> files = new ArrayList<>(List.of(target));
        if (tta) {
            files.add(Restorer.uncertaintyFile(target));
        }
        if (qcDir != null) {
            Path map = qcDir.resolve(baseName(image) + "_qc.tif");
            files.add(map);
            files.add(QcTable.csvFor(map));
        }
        return files;
    }

    /** The path through its folder's real path (a linked output folder is the folder it links to). */
    private static Path canonical(Path p) {
        Path a = p.toAbsolutePath().normalize();
        try {
            return a.getParent().toRealPath().resolve(a.getFileName());
        } catch (IOException e) {
            return a;
        }
    }

    private static boolean looksLikeImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        // A dangling link is kept, to be reported as a failure rather than skipped in silence.
        boolean file = Files.isRegularFile(p) || (Files.isSymbolicLink(p) && !Files.exists(p));
        return !name.startsWith(".") && dot > 0 && file
                && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static String baseName(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * Refuses, before any work, a folder-mode output that is a file or is named like one (an image
     * extension: {@code -o out.png} with a folder input would have become a folder named out.png).
     */
    static void requireFolderName(String label, Path out) throws BadInputException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException(label + " " + out + " is a file; give a folder for folder mode");
        }
        String name = out.getFileName() == null ? "" : out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (!Files.exists(out) && dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            throw new BadInputException(label + " " + out + " is named like an image file but the input is a folder;"
                    + " give a folder name (outputs are <name>.tif inside it)");
        }
    }
}
