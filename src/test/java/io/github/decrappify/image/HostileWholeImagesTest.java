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
    /** DICOM data elements, little endian: explicit VR (a 2- or 4-byte length by VR) or implicit (4 bytes). */
    static final class Dicom {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Dicom() {
            out.writeBytes(new byte[128]);
            out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        }

        Dicom explicit(int group, int element, String vr, byte[] value) {
            boolean wide = java.util.Set.of("OB", "OW", "SQ", "UN", "UT").contains(vr);
            ByteBuffer b = ByteBuffer.allocate(wide ? 12 : 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putShort((short) group).putShort((short) element).put(vr.getBytes(StandardCharsets.US_ASCII));
            if (wide) {
                b.putShort((short) 0).putInt(value.length);
            } else {
                b.putShort((short) value.length);
            }
            out.writeBytes(b.array());
            out.writeBytes(value);
            return this;
        }

        /** An implicit-VR element header claiming {@code length} bytes, followed by {@code value}. */
        Dicom implicit(int group, int element, long length, byte[] value) {
            ByteBuffer b = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            out.writeBytes(b.putShort((short) group).putShort((short) element).putInt((int) length).array());
            out.writeBytes(value);
            return this;
        }

        Dicom us(int group, int element, int v) {
            return explicit(group, element, "US", ByteBuffer.allocate(2).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putShort((short) v).array());
        }

        Dicom text(int group, int element, String vr, String v) {
            String even = v.length() % 2 == 0 ? v : v + (vr.equals("UI") ? "\0" : " ");
            return explicit(group, element, vr, even.getBytes(StandardCharsets.US_ASCII));
        }

        /** Meta group and an uncompressed grayscale image description, explicit or implicit VR little endian. */
        static Dicom image(boolean explicitVr, int columns, int rows, String frames) {
            Dicom d = new Dicom().text(0x0002, 0x0010, "UI", explicitVr ? "1.2.840.10008.1.2.1" : "1.2.840.10008.1.2");
            if (!explicitVr) {
                return d;
            }
            d.us(0x0028, 0x0002, 1);
            if (frames != null) {
                d.text(0x0028, 0x0008, "IS", frames);
            }
            return d.us(0x0028, 0x0010, rows).us(0x0028, 0x0011, columns).us(0x0028, 0x0100, 16)
                    .us(0x0028, 0x0101, 16).us(0x0028, 0x0103, 0);
        }

        /** Pixel data (OW) whose length field says {@code claimed} bytes, followed by {@code data}. */
        Path pixels(Path file, long claimed, byte[] data) throws Exception {
            ByteBuffer b = ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putShort((short) 0x7FE0).putShort((short) 0x0010).put("OW".getBytes(StandardCharsets.US_ASCII))
                    .putShort((short) 0).putInt((int) claimed);
            out.writeBytes(b.array());
            out.writeBytes(data);
            return Files.write(file, out.toByteArray());
        }
    }

    /** Little-endian 16-bit planes, plane k holding 100 (k + 1). */
    static byte[] planes16le(int width, int height, int planes) {
        ByteBuffer b = ByteBuffer.wrap(planes16(width, height, planes));
        ByteBuffer le = ByteBuffer.allocate(b.capacity()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            le.putShort(b.getShort());
        }
        return le.array();
    }

    @Test
    void aDicomHoldsWhatItsElementsClaim() throws Exception {
        Path good = Dicom.image(true, 64, 48, "3").pixels(dir.resolve("three.dcm"), 3 * 64 * 48 * 2,
                planes16le(64, 48, 3));
        try (ImageJStackSource src = ImageJStackSource.open(good)) {
            assertEquals(new StackShape(64, 48, 1, 3, 1, 16), src.shape());
            for (int z = 0; z < 3; z++) {
                assertEquals(100 * (z + 1), src.readPlane(0, z, 0).get(9, 40), 0);
            }
        }

        // 2000000000 frames, one present: ImageJ read it as a one-plane image.
        String m = refusal(Dicom.image(true, 64, 48, "2000000000").pixels(dir.resolve("frames.dcm"), 64 * 48 * 2,
                planes16le(64, 48, 1)));
        assertTrue(m.startsWith("frames.dcm is truncated or its header is wrong: it claims 64x48 pixels x 2000000000"
                + " frames of 16 bits"), m);

        // 256x256 claimed, 4096 pixels present: ImageJ read the rest as zeros.
        m = refusal(Dicom.image(true, 256, 256, null).pixels(dir.resolve("cut.dcm"), 256 * 256 * 2,
                planes16le(64, 32, 1)));
        assertTrue(m.startsWith("cut.dcm is truncated or its header is wrong: it claims 256x256 pixels of 16 bits"), m);

        // A 1 kB file claiming a 2 GB study date: ImageJ allocated it and ran out of memory.
        Dicom d = Dicom.image(false, 0, 0, null).implicit(0x0008, 0x0020, 0x7ffffff0L, "20200101".getBytes(
                StandardCharsets.US_ASCII));
        m = refusal(d.pixels(dir.resolve("date.dcm"), 8, new byte[1000]));
        assertTrue(m.startsWith("date.dcm is truncated or corrupt: DICOM element (0008,0020) at byte 158 claims"
                + " 2147483632 bytes but the file has"), m);

        // The same inside an item of a sequence of defined length (implicit VR): nested lengths are checked too.
        ByteBuffer nested = ByteBuffer.allocate(8 + 8 + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        nested.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(16); // item of 16 bytes
        nested.putShort((short) 0x0008).putShort((short) 0x1150).putInt(0x7ffffff0).put("1.2.3\0\0\0".getBytes(
                StandardCharsets.US_ASCII));
        d = Dicom.image(false, 0, 0, null).implicit(0x0008, 0x1140, nested.capacity(), nested.array());
        m = refusal(d.pixels(dir.resolve("nested.dcm"), 8, new byte[1000]));
        assertTrue(m.startsWith("nested.dcm is truncated or corrupt: DICOM element (0008,1150)"), m);
    }
    /** A little-endian TIFF of one strip: {@code data} as stored (compression 1 none, 8 deflate). */
    static Path tiff(Path file, int width, int height, int bits, int samples, int compression, int format, byte[] data)
            throws Exception {
        int entries = samples > 1 ? 11 : 10;
        int ifd = 8 + data.length + (data.length & 1);
        int bitsAt = ifd + 2 + 12 * entries + 4;
        ByteBuffer b = ByteBuffer.allocate(bitsAt + 2 * samples).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'I', 'I', 42, 0}).putInt(ifd).put(data).position(ifd);
        b.putShort((short) entries);
        tag(b, 256, 4, 1, width);
        tag(b, 257, 4, 1, height);
        tag(b, 258, 3, samples, samples > 1 ? bitsAt : bits);
        tag(b, 259, 3, 1, compression);
        tag(b, 262, 3, 1, samples == 3 ? 2 : 1);
        tag(b, 273, 4, 1, 8);
        tag(b, 277, 3, 1, samples);
        tag(b, 278, 4, 1, height);
        tag(b, 279, 4, 1, data.length);
        if (samples > 1) {
            tag(b, 284, 3, 1, 1);
        }
        tag(b, 339, 3, 1, format);
        b.putInt(0);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) bits);
        }
        return Files.write(file, b.array());
    }

    private static void tag(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }

    static byte[] deflate(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    /**
     * A compressed plane's size is not bounded by the file: 1 kB of deflate claiming a 40000x40000
     * float plane ran out of memory when its first plane was decoded; 48-bit RGB (loaded whole) was
     * opened with no check at all (4 kB claiming 40000x40000 ran out of memory).
     */
    @Test
    void aTiffPlaneMustFitInMemoryAndRgb48MustBeInTheFile() throws Exception {
        byte[] zeros = deflate(new byte[1 << 20]);
        String m = refusal(tiff(dir.resolve("bomb.tif"), 40000, 40000, 32, 1, 8, 3, zeros));
        assertTrue(m.startsWith("bomb.tif has planes of 40000x40000 pixels, too large to read (17.9 GiB to decode one,"), m);
        assertTrue(m.endsWith("crop it or split it into tiles, or give Java more memory (JAVA_OPTS=-Xmx…)"), m);

        ByteBuffer ramp = ByteBuffer.allocate(256 * 256 * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 256 * 256; i++) {
            ramp.putShort((short) i);
        }
        Path ok = tiff(dir.resolve("ok.tif"), 256, 256, 16, 1, 8, 1, deflate(ramp.array()));
        try (ImageJStackSource src = ImageJStackSource.open(ok)) {
            assertEquals(255 * 256 + 17, src.readPlane(0, 0, 0).get(17, 255), 0, "a deflate TIFF still reads");
        }

        m = refusal(tiff(dir.resolve("rgb48.tif"), 40000, 40000, 16, 3, 1, 1, new byte[4096]));
        assertTrue(m.startsWith("rgb48.tif is truncated: plane 1 of 1 needs 9600000008 bytes but the file has"), m);
        m = refusal(tiff(dir.resolve("rgb48z.tif"), 30000, 30000, 16, 3, 8, 1, zeros));
        assertTrue(m.startsWith("rgb48z.tif claims 30000x30000 pixels x 3 planes, too large to load whole"), m);
        assertTrue(m.endsWith("split its channels (Image > Color > Split Channels) into 16-bit TIFFs, which are read"
                + " plane by plane"), m);

    }

    /**
     * ImageJ's deflate decoder loops forever on a strip cut short (restore of such a TIFF hung) and
     * keeps whatever a strip expands to: both refused naming the plane, before ImageJ decodes.
     */
    @Test
    void aDeflateStripCutShortOrExpandingBeyondThePlaneIsRefused() throws Exception {
        byte[] raw = new byte[256 * 256 * 2];
        new java.util.Random(3).nextBytes(raw);
        byte[] z = deflate(raw);
        Path cut = tiff(dir.resolve("cut.tif"), 256, 256, 16, 1, 8, 1, java.util.Arrays.copyOf(z, z.length / 2));
        String m = refusal(cut);
        assertEquals("cut.tif: plane 1 of 1 is cut short (deflate strip 1 ends before its data); re-copy or re-export it", m);

        // 64 MiB of zeros in 64 kB of deflate, for a plane of 128 kB.
        Path bomb = tiff(dir.resolve("expands.tif"), 256, 256, 16, 1, 8, 1, deflate(new byte[64 << 20]));
        m = refusal(bomb);
        assertEquals("expands.tif: plane 1 of 1 is corrupt (deflate strip 1 expands beyond the plane's size); re-export it", m);

        Path ok = tiff(dir.resolve("ok.tif"), 256, 256, 16, 1, 8, 1, z);
        try (ImageJStackSource src = ImageJStackSource.open(ok)) {
            FloatPlane p = src.readPlane(0, 0, 0);
            assertEquals((raw[2 * 300] & 0xff) | (raw[2 * 300 + 1] & 0xff) << 8, p.get(300 % 256, 300 / 256), 0);
        }
    }

    /** A bare file name (no parent folder, in the working directory) was looked up in "null/" by ImageJ. */
    @Test
    void aBareFileNameIsReadFromTheWorkingDirectory() throws Exception {
        Path bare = Files.createTempFile(Path.of(""), "bare-", ".tif");
        try {
            assertEquals(null, bare.getParent());
            Files.write(bare, Files.readAllBytes(tiff(dir.resolve("ok.tif"), 4, 2, 16, 1, 1, 1,
                    new byte[] {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0})));
            try (ImageJStackSource src = ImageJStackSource.open(bare)) {
                assertEquals(7, src.readPlane(0, 0, 0).get(2, 1), 0);
            }
        } finally {
            Files.deleteIfExists(bare);
        }
    }
}
