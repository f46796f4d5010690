package io.github.decrappify.image;

import ij.io.Opener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Checks the size a PNG, JPEG, GIF, BMP or PGM claims in its header before ImageJ decodes it whole:
 * a 30-byte PGM claiming 40000x40000 pixels made ImageJ run out of memory, and a compressed image's
 * claim is not bounded by its file length. Policy: the decoded image (the decoder's buffer plus
 * ImageJ's pixels, counted as 8 bytes a pixel) must fit in half the heap, and a binary PGM must hold
 * the pixels it claims (ImageJ would read a truncated one as zeros).
 */
public final class WholeImages {

    /** Bytes a pixel costs while a whole image is decoded and copied into ImageJ. */
    static final int DECODE_BYTES_PER_PIXEL = 8;

    private WholeImages() {
    }

    /**
     * For images opened whole outside the readers (e.g. a bundle's cover shown in Fiji).
     *
     * @throws BadInputException when the header claims more than can be decoded, or a truncated PGM
     */
    public static void requireLoadable(Path path) throws BadInputException {
        try {
            requireLoadable(path, new Opener().getFileType(path.toString()), Files.size(path));
        } catch (IOException e) {
            throw new BadInputException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** @param type {@link Opener#getFileType}'s answer */
    static void requireLoadable(Path path, int type, long fileLength) throws BadInputException {
        long[] size = switch (type) {
            case Opener.PGM -> pgm(path, fileLength);
            case Opener.PNG, Opener.JPEG, Opener.GIF, Opener.BMP -> imageIo(path);
            default -> null; // FITS and DICOM: ImageJ's own readers, not checked here
        };
        if (size == null) {
            return;
        }
        String name = path.getFileName().toString();
        long pixels = size[0] * size[1];
        if (size[0] <= 0 || size[1] <= 0) {
            throw new BadInputException(name + " is corrupt (image size " + size[0] + "x" + size[1] + "); re-export it");
        }
        long budget = Runtime.getRuntime().maxMemory() / 2;
        if (pixels > ImageJStackSource.MAX_PLANE_PIXELS || pixels * DECODE_BYTES_PER_PIXEL > budget) {
            throw new BadInputException(String.format(java.util.Locale.ROOT,
                    "%s claims %dx%d pixels, too large to load whole (%.1f GiB to decode, %.1f GiB of memory);"
                            + " save it as TIFF, which is read plane by plane", name, size[0], size[1],
                    pixels * DECODE_BYTES_PER_PIXEL / 1073741824.0, budget / 1073741824.0));
        }
    }

    /** Width and height from the header ImageIO reads without decoding; {@code null} if it cannot. */
    private static long[] imageIo(Path path) {
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                return new long[] {r.getWidth(0), r.getHeight(0)};
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null; // ImageJ decides: it refuses what it cannot decode
        }
    }

    /** P2 (text) or P5 (binary) header: width, height; a binary body shorter than claimed is refused. */
    private static long[] pgm(Path path, long fileLength) throws BadInputException {
        String name = path.getFileName().toString();
        long[] fields = new long[3];
        int headerBytes;
        String magic;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(1024);
            int[] at = {0};
            magic = token(head, at);
            for (int i = 0; i < 3; i++) {
                String t = token(head, at);
                if (t == null || !t.matches("\\d{1,10}")) {
                    throw new BadInputException(name + " has a corrupt PGM header; re-export it as TIFF");
                }
                fields[i] = Long.parseLong(t);
            }
            headerBytes = at[0] + 1; // one whitespace byte ends the header
        } catch (IOException e) {
            throw new BadInputException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        long width = fields[0];
        long height = fields[1];
        long bytes = width * height * (fields[2] > 255 ? 2 : 1);
        if ("P5".equals(magic) && width > 0 && height > 0 && headerBytes + bytes > fileLength) {
            throw new BadInputException(name + " is truncated: its header claims " + width + "x" + height + " pixels ("
                    + (headerBytes + bytes) + " bytes) but the file has " + fileLength + "; re-copy or re-export it");
        }
        if ("P2".equals(magic) && width > 0 && height > 0 && 2 * width * height - 1 > fileLength - headerBytes) {
            throw new BadInputException(name + " is truncated: its header claims " + width + "x" + height
                    + " pixels, more numbers than the file holds; re-copy or re-export it");
        }
        return new long[] {width, height};
    }

    /** The next whitespace-separated token, skipping {@code #} comments; {@code null} at the end. */
    private static String token(byte[] b, int[] at) {
        int i = at[0];
        while (i < b.length) {
            if (b[i] == '#') {
                while (i < b.length && b[i] != '\n' && b[i] != '\r') {
                    i++;
                }
            } else if (Character.isWhitespace(b[i])) {
                i++;
            } else {
                break;
            }
        }
        int start = i;
        while (i < b.length && !Character.isWhitespace(b[i]) && b[i] != '#') {
            i++;
        }
        at[0] = i;
        return i > start ? new String(b, start, i - start, java.nio.charset.StandardCharsets.US_ASCII) : null;
    }
}
