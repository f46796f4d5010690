package io.github.decrappify.model;

import ij.ImagePlus;
import io.github.decrappify.model.BundleSpec.Artifacts;
import io.github.decrappify.model.BundleSpec.FileRef;
import io.github.decrappify.image.AtomicFiles;
import io.github.decrappify.image.Folders;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Creates a model bundle folder {@code <parent>/<name>/} from a trained SavedModel:
 * {@code rdf.yaml}, {@code README.md}, {@code weights.zip}, {@code test_input.npy}, {@code test_output.npy}
 * and optionally {@code cover.png}, with the SHA-256 of every file recorded in {@code rdf.yaml}.
 *
 * <p>Everything is written into a hidden sibling folder first and renamed into place at the end, so a
 * failure never leaves a half-written bundle. The SavedModel is zipped reproducibly, so exporting the same
 * model twice gives the same weights checksum. The SavedModel must pass {@link OpAllowList}, because a
 * bundle Decrappify would refuse to open is not worth writing.
 * <pre>{@code
 * Path bundle = new BundleWriter(spec, savedModelDir, testInput, testOutput)
 *         .optModelCard(markdown).optCover(previewImagePlus).write(outputFolder);
 * BundleWriter.exportZip(bundle, outputFolder.resolve(spec.name() + ".zip"));
 * }</pre>
 */
public final class BundleWriter {

    private final BundleSpec spec;
    private final Path savedModelDir;
    private final Npy.Tensor testInput;
    private final Npy.Tensor testOutput;
    private String modelCard;
    private BufferedImage cover;
    private boolean overwrite;

    /**
     * @param testInput  shape {@code (1, H, W, inputChannels)}, H and W valid input sizes of the spec
     * @param testOutput what the model predicts for it: shape {@code (1, H·scale, W·scale, 1)}
     */
    public BundleWriter(BundleSpec spec, Path savedModelDir, Npy.Tensor testInput, Npy.Tensor testOutput) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.savedModelDir = Objects.requireNonNull(savedModelDir, "savedModelDir");
        this.testInput = Objects.requireNonNull(testInput, "testInput");
        this.testOutput = Objects.requireNonNull(testOutput, "testOutput");
    }

    /** Markdown model card for {@code README.md}; by default a short card generated from the spec. */
    public BundleWriter optModelCard(String markdown) {
        modelCard = markdown;
        return this;
    }

    /** Cover image from packed RGB pixels ({@code 0xRRGGBB}, row by row). */
    public BundleWriter optCover(int[] rgb, int width, int height) {
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("cover has " + rgb.length + " pixels, expected " + width + "×" + height);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, rgb, 0, width);
        cover = image;
        return this;
    }

    /** Cover image rendered as ImageJ displays it (current slice, LUT and display range). */
    public BundleWriter optCover(ImagePlus image) {
        cover = image.getBufferedImage();
        return this;
    }

    /** Replace an existing bundle folder of the same name (default: refuse); a folder that is not a bundle never is. */
    public BundleWriter optOverwrite(boolean value) {
        overwrite = value;
        return this;
    }

    /** Writes the bundle into {@code parent} (created if needed) and returns its folder. */
    public Path write(Path parent) throws BundleException, IOException {
        checkTensors();
        try {
            Licenses.requireSpdx(spec.license());
        } catch (IllegalArgumentException e) {
            throw new BundleException("model '" + spec.name() + "': " + e.getMessage(), e);
        }
        try {
            OpAllowList.check(savedModelDir);
        } catch (BundleException e) {
            throw new BundleException("model '" + spec.name() + "': " + e.getMessage(), e);
        }
        Files.createDirectories(parent);
        Path target = parent.resolve(spec.name());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw new BundleException("model '" + spec.name() + "': " + target + " already exists; choose another"
                    + " name or allow overwriting");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !(Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(target.resolve(RdfYaml.FILE_NAME), LinkOption.NOFOLLOW_LINKS))) {
            // Overwriting replaces a bundle; a folder of someone's images with the same name is never deleted.
            throw new BundleException("model '" + spec.name() + "': " + target + " exists and is not a model bundle (no "
                    + RdfYaml.FILE_NAME + "); choose another folder");
        }
        Path temp = Files.createTempDirectory(parent, "." + spec.name() + ".part-");
        try {
            Artifacts files = spec.artifacts();
            SafeZip.zipDirectory(savedModelDir, temp.resolve(files.weights().source()));
            Npy.write(temp.resolve(files.testInput().source()), testInput);
            Npy.write(temp.resolve(files.testOutput().source()), testOutput);
            Files.writeString(temp.resolve(files.documentation().source()),
                    modelCard != null ? modelCard : defaultCard(), StandardCharsets.UTF_8);
            List<FileRef> covers = List.of();
            if (cover != null) {
                FileRef ref = files.covers().isEmpty() ? new FileRef("cover.png", null) : files.covers().get(0);
                Files.write(temp.resolve(ref.source()), coverPng(cover));
                covers = List.of(hashed(temp, ref));
            }
            BundleSpec written = spec.withArtifacts(new Artifacts(hashed(temp, files.weights()),
                    files.tensorflowVersion(), hashed(temp, files.testInput()), hashed(temp, files.testOutput()),
                    hashed(temp, files.documentation()), covers));
            RdfYaml.write(written, temp.resolve(RdfYaml.FILE_NAME));
            Dirs.replace(temp, target);
            temp = null;
            return target;
        } finally {
            if (temp != null) {
                Folders.deleteTreeQuietly(temp);
            }
        }
    }

    /**
     * Zips a bundle folder into {@code zip} with {@code rdf.yaml} at the archive root (the layout
     * bioimage.io tools expect), via a temporary file so {@code zip} is complete or absent.
     */
    public static void exportZip(Path bundleDir, Path zip) throws BundleException, IOException {
        if (!Files.isRegularFile(bundleDir.resolve(RdfYaml.FILE_NAME))) {
            throw new BundleException(bundleDir + " is not a model bundle (no " + RdfYaml.FILE_NAME + ")");
        }
        if (Files.exists(zip, LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleException(zip + " already exists; choose another file name");
        }
        Path parent = zip.toAbsolutePath().normalize().getParent();
        Files.createDirectories(parent);
        if (parent.toRealPath().startsWith(bundleDir.toRealPath())) {
            throw new BundleException(zip + " is inside the bundle folder " + bundleDir + "; choose a file outside it");
        }
        try {
            AtomicFiles.create(zip, temp -> SafeZip.zipDirectory(bundleDir, temp));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new BundleException(zip + " already exists (created while exporting); choose another file name", e);
        }
    }

    /** bioimage.io asks for covers under 500 kB. */
    static final int MAX_COVER_BYTES = 500 * 1000;

    /**
     * The cover as PNG bytes: 8-bit gray when the image is gray (a third of RGB's size), halved in size until
     * it is at most {@link #MAX_COVER_BYTES}.
     */
    static byte[] coverPng(BufferedImage image) throws IOException {
        BufferedImage current = isGray(image) ? toGray(image) : image;
        while (true) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            if (!ImageIO.write(current, "png", bytes)) {
                throw new IOException("no PNG writer available for the cover image");
            }
            if (bytes.size() <= MAX_COVER_BYTES || current.getWidth() < 64 || current.getHeight() < 64) {
                return bytes.toByteArray();
            }
            current = half(current);
        }
    }

    private static boolean isGray(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                if (r != ((rgb >> 8) & 0xFF) || r != (rgb & 0xFF)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static BufferedImage toGray(BufferedImage image) {
        BufferedImage gray = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        java.awt.image.WritableRaster raster = gray.getRaster();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                raster.setSample(x, y, 0, image.getRGB(x, y) & 0xFF);
            }
        }
        return gray;
    }

    /** Half the width and height (same aspect ratio), smoothly resampled. */
    private static BufferedImage half(BufferedImage image) {
        int w = Math.max(1, image.getWidth() / 2);
        int h = Math.max(1, image.getHeight() / 2);
        BufferedImage small = new BufferedImage(w, h, image.getType() == BufferedImage.TYPE_BYTE_GRAY
                ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = small.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return small;
    }

    private void checkTensors() throws BundleException {
        int[] in = testInput.shape();
        int[] out = testOutput.shape();
        int s = spec.scale();
        boolean inOk = in.length == 4 && in[0] == 1 && in[3] == spec.inputChannels() && validSize(in[1])
                && validSize(in[2]);
        if (!inOk) {
            throw new BundleException("model '" + spec.name() + "': test input shape " + Arrays.toString(in)
                    + " must be (1, H, W, " + spec.inputChannels() + ") with H and W of the form "
                    + spec.minimumSize() + " + k·" + spec.sizeMultiple());
        }
        if (!Arrays.equals(out, new int[] {1, in[1] * s, in[2] * s, 1})) {
            throw new BundleException("model '" + spec.name() + "': test output shape " + Arrays.toString(out)
                    + " must be (1, " + in[1] * s + ", " + in[2] * s + ", 1) for scale " + s);
        }
    }

    private boolean validSize(int size) {
        return size >= spec.minimumSize() && (size - spec.minimumSize()) % spec.sizeMultiple() == 0;
    }

    private String defaultCard() {
        return "# " + spec.name() + "\n\n" + spec.description() + "\n\n"
                + (spec.isDenoising() ? "Denoising" : spec.scale() + "× super-resolution") + " model for "
                + (spec.modality() == BundleSpec.Modality.EM ? "electron" : "fluorescence") + " microscopy,"
                + " trained with Decrappify. Licence: " + spec.license() + ".\n";
    }

    private static FileRef hashed(Path dir, FileRef ref) throws IOException {
        return ref.withSha256(Checksums.sha256(dir.resolve(ref.source())));
    }
}
