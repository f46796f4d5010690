package io.github.decrappify.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FITS and DICOM files, which ImageJ loads whole, whose headers claim more than the file holds (issue
 * 13, same pattern as item 12): refused in one line naming the file before ImageJ allocates anything,
 * instead of an OutOfMemoryError, a NullPointerException after ImageJ's "FileInfo parameter error", or
 * the planes that happen to be there read as the image.
 */
class HostileWholeImagesTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A FITS primary image: header cards in 2880-byte blocks, then {@code data} (big-endian). */
    static Path fits(Path file, int bitpix, long[] axes, byte[] data) throws Exception {
        StringBuilder h = new StringBuilder();
        card(h, "SIMPLE", "T");
        card(h, "BITPIX", String.valueOf(bitpix));
        card(h, "NAXIS", String.valueOf(axes.length));
        for (int i = 0; i < axes.length; i++) {
            card(h, "NAXIS" + (i + 1), String.valueOf(axes[i]));
        }
        h.append(String.format("%-80s", "END"));
        while (h.length() % 2880 != 0) {
            h.append(' ');
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        return Files.write(file, out.toByteArray());
    }

    private static void card(StringBuilder h, String key, String value) {
        h.append(String.format("%-80s", String.format("%-8s= %20s / test", key, value)));
    }

    /** Planes of 16-bit samples, plane k holding the value 100 (k + 1) everywhere. */
    static byte[] planes16(int width, int height, int planes) {
        ByteBuffer b = ByteBuffer.allocate(width * height * planes * 2);
        for (int k = 0; k < planes; k++) {
            for (int i = 0; i < width * height; i++) {
                b.putShort((short) (100 * (k + 1)));
            }
        }
        return b.array();
    }

    static String refusal(Path file) {
        long t0 = System.nanoTime();
        BadInputException e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(file).close());
        assertTrue(System.nanoTime() - t0 < 5e9, "refused at once");
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aFitsHoldsThePixelsItsHeaderClaims() throws Exception {
        Path good = fits(dir.resolve("three.fits"), 16, new long[] {64, 48, 3}, planes16(64, 48, 3));
        try (ImageJStackSource src = ImageJStackSource.open(good)) {
            assertEquals(new StackShape(64, 48, 1, 3, 1, 32), src.shape());
            for (int z = 0; z < 3; z++) {
                FloatPlane p = src.readPlane(0, z, 0);
                assertEquals(100 * (z + 1), p.get(5, 7), 0);
                assertEquals(100 * (z + 1), p.get(63, 47), 0);
            }
        }

        // 40000x40000 floats in 5760 bytes: ImageJ printed "FileInfo parameter error", then a NullPointerException.
        String m = refusal(fits(dir.resolve("big.fits"), -32, new long[] {40000, 40000}, new byte[2880]));
        assertEquals("big.fits is truncated or its header is wrong: it claims 40000x40000 pixels of 32 bits"
                + " (6400002880 bytes) but the file has 5760; re-copy or re-export it", m);

        // 2000000000 planes of 64x64, one present: ImageJ read it as a one-plane image.
        m = refusal(fits(dir.resolve("planes.fits"), 16, new long[] {64, 64, 2000000000L}, planes16(64, 64, 1)));
        assertTrue(m.startsWith("planes.fits is truncated or its header is wrong: it claims 64x64 pixels x 2000000000"
                + " planes of 16 bits"), m);

        // Three planes claimed, two and a bit present: ImageJ read two.
        byte[] cut = java.util.Arrays.copyOf(planes16(64, 48, 3), 2 * 64 * 48 * 2 + 100);
        m = refusal(fits(dir.resolve("cut.fits"), 16, new long[] {64, 48, 3}, cut));
        assertTrue(m.startsWith("cut.fits is truncated or its header is wrong: it claims 64x48 pixels x 3 planes"), m);

        // Axis products that overflow a long, and headers that are not numbers.
        m = refusal(fits(dir.resolve("wrap.fits"), -64, new long[] {3037000500L, 3037000500L, 4}, new byte[2880]));
        assertTrue(m.contains("(more than 2^63 bytes)"), m);
        m = refusal(fits(dir.resolve("bitpix.fits"), 12, new long[] {4, 4}, new byte[2880]));
        assertEquals("bitpix.fits has a corrupt FITS header (BITPIX 12); re-export it as TIFF", m);
        m = refusal(fits(dir.resolve("neg.fits"), 8, new long[] {4, -4}, new byte[2880]));
        assertTrue(m.startsWith("neg.fits has a corrupt FITS header (NAXIS2 -4)"), m);
    }
}
