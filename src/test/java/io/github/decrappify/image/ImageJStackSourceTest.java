package io.github.decrappify.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;
import io.github.decrappify.testutil.RawTiff;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageJStackSourceTest {

    static final Path HELA = Path.of("/work/shared/data/imagej_samples/hela-cells_16bit_3ch.tif");

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void readsRealThreeChannelSampleLikeImageJ() throws Exception {
        ImagePlus whole = IJ.openImage(HELA.toString());
        try (ImageJStackSource src = ImageJStackSource.open(HELA)) {
            assertEquals(whole.getWidth(), src.width());
            assertEquals(3, src.channels());
            assertEquals(1, src.slices());
            assertEquals(1, src.frames());
            assertEquals(16, src.bitDepth());
            assertEquals(whole.getCalibration().pixelWidth, src.calibration().pixelWidth(), 1e-12);
            assertEquals(whole.getCalibration().getUnit(), src.calibration().unit());
            for (int c = 0; c < 3; c++) {
                FloatPlane p = src.readPlane(c, 0, 0);
                var ip = whole.getStack().getProcessor(c + 1);
                for (int i = 0; i < p.area(); i += 97) {
                    assertEquals(ip.getf(i), p.data()[i], 0);
                }
            }
        }
    }

    @Test
    void wrapFollowsImageJCztOrder() throws Exception {
        int w = 5, h = 4, nc = 2, nz = 3, nt = 4;
        ImageStack stack = new ImageStack(w, h);
        for (int t = 0; t < nt; t++) {
            for (int z = 0; z < nz; z++) {
                for (int c = 0; c < nc; c++) {
                    FloatProcessor fp = new FloatProcessor(w, h);
                    fp.set(100 * c + 10 * z + t);
                    stack.addSlice(fp);
                }
            }
        }
        ImagePlus imp = new ImagePlus("hyper", stack);
        imp.setDimensions(nc, nz, nt);
        try (ImageStackSource src = ImageJStackSource.wrap(imp)) {
            assertEquals(new StackShape(w, h, nc, nz, nt, 32), src.shape());
            for (int t = 0; t < nt; t++) {
                for (int z = 0; z < nz; z++) {
                    for (int c = 0; c < nc; c++) {
                        assertEquals(100 * c + 10 * z + t, src.readPlane(c, z, t).get(3, 2), 0);
                    }
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> src.readPlane(2, 0, 0));
        }
    }

    @Test
    void missingFile() {
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(dir.resolve("nope.tif")));
        assertTrue(e.getMessage().startsWith("File not found"), e.getMessage());
    }

    @Test
    void emptyFile() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.tif"));
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(empty));
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());
    }

    @Test
    void randomBytesAreNotAnImage() throws Exception {
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        junk[0] = 'x';
        Path file = Files.write(dir.resolve("junk.tif"), junk);
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(file));
        assertTrue(e.getMessage().contains("not an image ImageJ can read"), e.getMessage());
    }

    @Test
    void tiffHeaderWithGarbageDirectory() throws Exception {
        byte[] bytes = new byte[64];
        bytes[0] = 'I';
        bytes[1] = 'I';
        bytes[2] = 42;
        bytes[4] = (byte) 200; // first directory points past the end of the file
        Path file = Files.write(dir.resolve("broken.tif"), bytes);
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(file));
        assertTrue(e.getMessage().contains("TIFF"), e.getMessage());
    }

    @Test
    void aClaimedPlaneCountIsCheckedAgainstTheFileBeforeAllocating() throws Exception {
        // Issue 13: a 16 kB TIFF claiming images=2000000000 ran out of memory after 135 s.
        Path file = dir.resolve("claims.tif");
        try (TiffStackWriter w = new TiffStackWriter(file, new StackShape(16, 16, 1, 2, 1, 32),
                Calibration.UNCALIBRATED, "")) {
            w.writePlane(0, 0, 0, FloatPlane.zeros(16, 16, 1));
            w.writePlane(0, 1, 0, FloatPlane.zeros(16, 16, 1));
            w.commit();
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        String claim = "images=2\nchannels=1\n";
        int at = text.indexOf(claim);
        assertTrue(at > 0, "description found");
        byte[] forged = "images=2000000000\n\n\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(forged, 0, bytes, at, forged.length);
        Files.write(file, bytes);
        long t0 = System.nanoTime();
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(file));
        assertTrue(e.getMessage().startsWith("claims.tif is truncated or its description is wrong: it claims 2000000000"
                + " planes of 1024 bytes"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5e9, "refused at once");
    }

    @Test
    void truncatedStackIsRefusedNotReadAsBlank() throws Exception {
        Path file = dir.resolve("cut.tif");
        try (TiffStackWriter w = new TiffStackWriter(file, new StackShape(16, 16, 1, 4, 1, 32),
                Calibration.UNCALIBRATED, "")) {
            for (int z = 0; z < 4; z++) {
                w.writePlane(0, z, 0, FloatPlane.zeros(16, 16, 1));
            }
            w.commit();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 16 * 16 * 4 * 4 + 100); // lose most of the pixel data and all later directories
        }
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rgbIsRefusedWithAdvice() throws Exception {
        Path file = dir.resolve("rgb.tif");
        IJ.saveAsTiff(new ImagePlus("rgb", new ColorProcessor(8, 8)), file.toString());
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(file));
        assertTrue(e.getMessage().contains("RGB") && e.getMessage().contains("convert to 8/16/32-bit grayscale"),
                e.getMessage());
        var e2 = assertThrows(BadInputException.class,
                () -> ImageJStackSource.wrap(new ImagePlus("rgb", new ColorProcessor(8, 8))));
        assertTrue(e2.getMessage().contains("RGB"), e2.getMessage());
    }

    @Test
    void indexedColourIsRefusedWithAdvice() throws Exception {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) i;
            g[i] = (byte) (255 - i);
            b[i] = (byte) (i * 7);
        }
        ByteProcessor bp = new ByteProcessor(8, 8);
        bp.setColorModel(new LUT(r, g, b));
        ImagePlus imp = new ImagePlus("lut", bp);
        imp.setTypeToColor256();
        assertEquals(ImagePlus.COLOR_256, imp.getType());
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.wrap(imp));
        assertTrue(e.getMessage().contains("convert to 8/16/32-bit grayscale"), e.getMessage());

        Path file = dir.resolve("lut.tif");
        IJ.saveAsTiff(imp, file.toString());
        var e2 = assertThrows(BadInputException.class, () -> ImageJStackSource.open(file));
        assertTrue(e2.getMessage().contains("convert to 8/16/32-bit grayscale"), e2.getMessage());
    }

    @Test
    void nonFinitePixelsAreRefusedWhenReadFinite() throws Exception {
        FloatProcessor fp = new FloatProcessor(6, 5);
        fp.setf(4, 3, Float.NaN);
        ImageStack stack = new ImageStack(6, 5);
        stack.addSlice(new FloatProcessor(6, 5));
        stack.addSlice(fp);
        FloatProcessor inf = new FloatProcessor(6, 5);
        inf.setf(1, 2, Float.NEGATIVE_INFINITY);
        stack.addSlice(inf);
        try (ImageStackSource src = ImageJStackSource.wrap(new ImagePlus("nan", stack))) {
            assertEquals(0, src.readFinitePlane(0, 0, 0).get(0, 0), 0);
            assertTrue(Float.isNaN(src.readPlane(0, 1, 0).get(4, 3)), "plain reads do not check");
            var e = assertThrows(BadInputException.class, () -> src.readFinitePlane(0, 1, 0));
            assertTrue(e.getMessage().contains("NaN pixel at x=4, y=3") && e.getMessage().contains("z=2"),
                    e.getMessage());
            var e2 = assertThrows(BadInputException.class, () -> src.readFinitePlane(0, 2, 0));
            assertTrue(e2.getMessage().contains("infinite pixel at x=1, y=2"), e2.getMessage());
        }
    }

    @Test
    void folderIsNotAFile() {
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(dir));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
    }

    @Test
    void pngIsLoadedWhole() throws Exception {
        ByteProcessor bp = new ByteProcessor(7, 3);
        bp.set(2, 1, 200);
        Path file = dir.resolve("small.png");
        new ij.io.FileSaver(new ImagePlus("small", bp)).saveAsPng(file.toString());
        try (ImageJStackSource src = ImageJStackSource.open(file)) {
            assertEquals(new StackShape(7, 3, 1, 1, 1, 8), src.shape());
            assertEquals(200, src.readPlane(0, 0, 0).get(2, 1), 0);
        }
    }

    // Issue 13 item 9: the numbers a file holds, whatever ImageJ's raw representation.

    static float[] plane(Path file) throws Exception {
        try (ImageJStackSource src = ImageJStackSource.open(file)) {
            return src.readPlane(0, 0, 0).data();
        }
    }

    @Test
    void signed16BitTiffGivesSignedValuesAsFloat() throws Exception {
        Path file = RawTiff.write(dir.resolve("i16.tif"), 4, 1, 16, RawTiff.SIGNED, -32768, -100, 0, 1234);
        try (ImageJStackSource src = ImageJStackSource.open(file)) {
            assertEquals(SampleType.INT16, src.sampleType());
            assertEquals(32, src.bitDepth(), "values below 0 need a float output");
            assertArrayEquals(new float[] {-32768, -100, 0, 1234}, src.readPlane(0, 0, 0).data());
        }
        // ImageJ saves such an image unsigned with its calibration function in the description: same values.
        Path saved = dir.resolve("i16_ij.tif");
        IJ.saveAsTiff(IJ.openImage(file.toString()), saved.toString());
        assertArrayEquals(new float[] {-32768, -100, 0, 1234}, plane(saved));
        // An open signed image (Fiji) gives what ImageJ shows.
        try (ImageJStackSource src = ImageJStackSource.wrap(IJ.openImage(file.toString()))) {
            assertEquals(SampleType.INT16, src.sampleType());
            assertArrayEquals(new float[] {-32768, -100, 0, 1234}, src.readPlane(0, 0, 0).data());
        }
    }

    @Test
    void signed8BitTiffIsReadSignedNotAsUnsigned() throws Exception {
        Path file = RawTiff.write(dir.resolve("i8.tif"), 4, 1, 8, RawTiff.SIGNED, -128, -5, 0, 127);
        try (ImageJStackSource src = ImageJStackSource.open(file)) {
            assertEquals(SampleType.INT8, src.sampleType());
            assertEquals(32, src.bitDepth());
            assertArrayEquals(new float[] {-128, -5, 0, 127}, src.readPlane(0, 0, 0).data());
        }
        Path unsigned = RawTiff.write(dir.resolve("u8.tif"), 4, 1, 8, RawTiff.UNSIGNED, 128, 251, 0, 127);
        try (ImageJStackSource src = ImageJStackSource.open(unsigned)) {
            assertEquals(SampleType.UINT8, src.sampleType());
            assertEquals(8, src.bitDepth());
            assertArrayEquals(new float[] {128, 251, 0, 127}, src.readPlane(0, 0, 0).data());
        }
    }

    @Test
    void thirtyTwoBitIntegersKeepTheirSignedness() throws Exception {
        // ImageJ reads every 32-bit integer TIFF as signed: 3e9 came out as -1.29e9.
        Path u32 = RawTiff.write(dir.resolve("u32.tif"), 4, 1, 32, RawTiff.UNSIGNED, 0, 1, 3_000_000_000L, 4_294_967_295L);
        try (ImageJStackSource src = ImageJStackSource.open(u32)) {
            assertEquals(SampleType.UINT32, src.sampleType());
            assertArrayEquals(new float[] {0, 1, 3e9f, 4.2949673e9f}, src.readPlane(0, 0, 0).data());
        }
        Path i32 = RawTiff.write(dir.resolve("i32.tif"), 4, 1, 32, RawTiff.SIGNED, -2_000_000_000, -1, 0, 7);
        try (ImageJStackSource src = ImageJStackSource.open(i32)) {
            assertEquals(SampleType.INT32, src.sampleType());
            assertArrayEquals(new float[] {-2e9f, -1, 0, 7}, src.readPlane(0, 0, 0).data());
        }
    }

    @Test
    void unsigned16BitIsUnchanged() throws Exception {
        Path file = RawTiff.write(dir.resolve("u16.tif"), 4, 1, 16, RawTiff.UNSIGNED, 0, 1, 32768, 65535);
        try (ImageJStackSource src = ImageJStackSource.open(file)) {
            assertEquals(SampleType.UINT16, src.sampleType());
            assertEquals(16, src.bitDepth());
            assertArrayEquals(new float[] {0, 1, 32768, 65535}, src.readPlane(0, 0, 0).data());
        }
    }

    @Test
    void samplesWithoutARealValueAreRefused() throws Exception {
        Path complex = RawTiff.write(dir.resolve("complex.tif"), 2, 1, 32, 6, 1, 2);
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(complex));
        assertTrue(e.getMessage().contains("complex samples (TIFF SampleFormat 6)"), e.getMessage());
        Path float8 = RawTiff.write(dir.resolve("f8.tif"), 2, 1, 8, RawTiff.FLOAT, 1, 2);
        var e2 = assertThrows(BadInputException.class, () -> ImageJStackSource.open(float8));
        assertTrue(e2.getMessage().contains("8-bit floating-point"), e2.getMessage());
    }

    @Test
    void aPlaneClaimedBeyondWhatAnArrayHoldsIsRefusedBeforeDecoding() throws Exception {
        Path file = RawTiff.write(dir.resolve("huge.tif"), 50000, 50000, 8, RawTiff.UNSIGNED, new byte[16]);
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(file));
        assertTrue(e.getMessage().startsWith("huge.tif has planes of 50000x50000 pixels, more than the 2147483639 one"
                + " plane can hold"), e.getMessage());
    }

    /** The claimed plane count times a large plane's size wrapped a long and passed the file-length check. */
    @Test
    void aClaimedStackWhoseSizeOverflowsIsRefusedBeforeAllocating() throws Exception {
        Path file = RawTiff.write(dir.resolve("wrap.tif"), 46000, 46000, 32, RawTiff.FLOAT, new byte[64],
                "ImageJ=1.54p\nimages=2147483647\nslices=2147483647\n");
        long t0 = System.nanoTime();
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(file));
        assertTrue(e.getMessage().startsWith("wrap.tif is truncated or its description is wrong: it claims 2147483647"
                + " planes of 8464000000 bytes"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5e9, "refused at once");
    }

    @Test
    void anOverflowingPlaneAllocationIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> FloatPlane.zeros(65536, 65536, 1));
        assertTrue(e.getMessage().startsWith("a plane of 65536x65536x1 values cannot be held in one array"), e.getMessage());
    }

    /** A 30-byte PGM claiming 40000x40000 pixels ran ImageJ out of memory; a cut one read as zeros. */
    @Test
    void wholeImageFormatsAreCheckedAgainstTheirHeaderFirst() throws Exception {
        Path big = dir.resolve("big.pgm");
        Files.write(big, "P5\n# comment\n40000 40000\n255\n0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        var e = assertThrows(BadInputException.class, () -> ImageJStackSource.open(big));
        assertTrue(e.getMessage().startsWith("big.pgm is truncated: its header claims 40000x40000 pixels"), e.getMessage());

        ByteProcessor bp = new ByteProcessor(5, 4);
        bp.set(3, 2, 77);
        Path pgm = dir.resolve("ok.pgm");
        new ij.io.FileSaver(new ImagePlus("ok", bp)).saveAsPgm(pgm.toString());
        try (ImageJStackSource src = ImageJStackSource.open(pgm)) {
            assertEquals(77, src.readPlane(0, 0, 0).get(3, 2), 0);
        }
        byte[] whole = Files.readAllBytes(pgm);
        Path cut = dir.resolve("cut.pgm");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 6));
        var e2 = assertThrows(BadInputException.class, () -> ImageJStackSource.open(cut));
        assertTrue(e2.getMessage().startsWith("cut.pgm is truncated"), e2.getMessage());

        // A compressed format's claim is not bounded by its length: a PNG header alone claims 40000x40000.
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(40000).putInt(40000)
                .put(new byte[] {8, 0, 0, 0, 0});
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 25);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        Path bomb = Files.write(dir.resolve("bomb.png"), png.array());
        var e3 = assertThrows(BadInputException.class, () -> ImageJStackSource.open(bomb));
        assertTrue(e3.getMessage().startsWith("bomb.png claims 40000x40000 pixels, too large to load whole (11.9 GiB to"
                + " decode"), e3.getMessage());
        assertTrue(e3.getMessage().endsWith("save it as TIFF, which is read plane by plane"), e3.getMessage());
    }
}
