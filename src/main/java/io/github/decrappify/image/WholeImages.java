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
 * Checks the size a PNG, JPEG, GIF, BMP, PGM, FITS or DICOM ({@link DicomHeader}) claims in its header before ImageJ decodes it
 * whole: a 30-byte PGM claiming 40000x40000 pixels made ImageJ run out of memory, and a compressed
 * image's claim is not bounded by its file length. Policy: the decoded image, all its planes (the
 * decoder's buffer plus ImageJ's pixels, counted as 8 bytes a pixel), must fit in half the heap, and a
 * binary PGM, a FITS or an uncompressed DICOM must hold the pixels it claims (ImageJ would read a truncated PGM as zeros and
 * a FITS cut short, or claiming 2000000000 planes, as the planes that happen to be there).
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
            case Opener.FITS -> fits(path, fileLength);
            case Opener.DICOM -> DicomHeader.claims(path, fileLength);
            default -> null;
        };
        if (size == null) {
            return;
        }
        requireBudget(path.getFileName().toString(), size[0], size[1], size.length > 2 ? size[2] : 1,
                "save it as TIFF, which is read plane by plane");
    }

    /**
     * The budget of an image decoded whole: {@code planes} planes (channels included) of
     * {@code width x height}.
     */
    static void requireBudget(String name, long width, long height, long planes, String advice)
            throws BadInputException {
        long[] size = {width, height};
        if (size[0] <= 0 || size[1] <= 0) {
            throw new BadInputException(name + " is corrupt (image size " + size[0] + "x" + size[1] + "); re-export it");
        }
        long pixels = size[0] * size[1];
        double decode = (double) pixels * planes * DECODE_BYTES_PER_PIXEL;
        long budget = Runtime.getRuntime().maxMemory() / 2;
        if (pixels > ImageJStackSource.MAX_PLANE_PIXELS || decode > budget) {
            throw new BadInputException(String.format(java.util.Locale.ROOT,
                    "%s claims %dx%d pixels%s, too large to load whole (%.1f GiB to decode, %.1f GiB of memory); %s",
                    name, size[0], size[1], planes > 1 ? " x " + planes + " planes" : "", decode / 1073741824.0,
                    budget / 1073741824.0, advice));
        }
    }

    /** FITS header blocks; a header longer than this is not an image header. */
    private static final int FITS_BLOCK = 2880;
    private static final int FITS_MAX_HEADER_BLOCKS = 1000;

    /**
     * Width, height and planes (the product of NAXIS3, NAXIS4, …) of a FITS primary image, whose data
     * (after the header's 2880-byte blocks, as ImageJ reads it) must be in the file.
     */
    private static long[] fits(Path path, long fileLength) throws BadInputException {
        String name = path.getFileName().toString();
        java.util.Map<String, String> values = new java.util.HashMap<>();
        long headerBytes = 0;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path))) {
            byte[] block = new byte[FITS_BLOCK];
            boolean end = false;
            while (!end) {
                if (headerBytes >= (long) FITS_MAX_HEADER_BLOCKS * FITS_BLOCK
                        || in.readNBytes(block, 0, FITS_BLOCK) < FITS_BLOCK) {
                    throw new BadInputException(name + " has a corrupt FITS header (no END card in its first "
                            + headerBytes + " bytes); re-export it as TIFF");
                }
                headerBytes += FITS_BLOCK;
                for (int at = 0; at < FITS_BLOCK && !end; at += 80) {
                    String card = new String(block, at, 80, java.nio.charset.StandardCharsets.US_ASCII);
                    String key = card.substring(0, 8).strip();
                    end = key.equals("END");
                    if (!end && card.startsWith("= ", 8)) {
                        String value = card.substring(10);
                        int slash = value.indexOf('/');
                        values.putIfAbsent(key, (slash >= 0 ? value.substring(0, slash) : value).strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new BadInputException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        long bitpix = fitsInt(values, "BITPIX", name);
        long axes = fitsInt(values, "NAXIS", name);
        if (bitpix != 8 && bitpix != 16 && bitpix != 32 && bitpix != 64 && bitpix != -32 && bitpix != -64) {
            throw new BadInputException(name + " has a corrupt FITS header (BITPIX " + bitpix + "); re-export it as TIFF");
        }
        if (axes < 2 || axes > 999) {
            throw new BadInputException(name + " holds no 2D image (FITS NAXIS " + axes + "); save it as TIFF");
        }
        long[] n = new long[(int) axes];
        for (int i = 0; i < n.length; i++) {
            n[i] = fitsInt(values, "NAXIS" + (i + 1), name);
            if (n[i] < 1) {
                throw new BadInputException(name + " has a corrupt FITS header (NAXIS" + (i + 1) + " " + n[i]
                        + "); re-export it as TIFF");
            }
        }
        long planes = 1;
        long bytes;
        try {
            for (int i = 2; i < n.length; i++) {
                planes = Math.multiplyExact(planes, n[i]);
            }
            bytes = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(n[0], n[1]), planes), Math.abs(bitpix) / 8);
            bytes = Math.addExact(bytes, headerBytes);
        } catch (ArithmeticException e) {
            bytes = Long.MAX_VALUE;
        }
        if (bytes > fileLength) {
            throw new BadInputException(name + " is truncated or its header is wrong: it claims " + n[0] + "x" + n[1]
                    + " pixels" + (planes > 1 ? " x " + planes + " planes" : "") + " of " + Math.abs(bitpix) + " bits ("
                    + (bytes == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(bytes)) + " bytes) but the file has "
                    + fileLength + "; re-copy or re-export it");
        }
        return new long[] {n[0], n[1], planes};
    }

    private static long fitsInt(java.util.Map<String, String> values, String key, String name) throws BadInputException {
        String v = values.get(key);
        if (v == null || !v.matches("[+-]?\\d{1,18}")) {
            throw new BadInputException(name + " has a corrupt FITS header (" + key + " " + (v == null ? "missing" : v)
                    + "); re-export it as TIFF");
        }
        return Long.parseLong(v);
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
