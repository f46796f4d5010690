package io.github.decrappify.image;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.io.FileOpener;
import ij.io.Opener;
import ij.io.TiffDecoder;
import ij.process.ImageProcessor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@link ImageStackSource} over ImageJ 1.
 *
 * <p>{@link #open(Path)} reads TIFF files plane by plane straight from disk (ImageJ's own TIFF decoder
 * and {@link FileOpener}, as {@code File > Import > TIFF Virtual Stack} does), so a stack larger than
 * the heap never has to fit in memory; ImageJ hyperstacks keep their C/Z/T dimensions and calibration.
 * Other formats ImageJ reads (PNG, JPEG, GIF, BMP, PGM, FITS, DICOM) and 48-bit RGB TIFFs (three
 * interleaved 16-bit channels, opened as 3 channels) are loaded whole: they are small in practice.
 * {@link #wrap(ImagePlus)} adapts an image already open in ImageJ or Fiji (virtual or not).
 *
 * <p>Planes hold the numbers the file holds ({@link SampleType}): signed 16-bit integers with ImageJ's
 * signed calibration (value = raw − 32768), signed 8-bit and unsigned 32-bit integers by the TIFF's
 * SampleFormat; such sources report bit depth 32.
 *
 * <p>Refused with a {@link BadInputException}: missing, empty, truncated or corrupt files, RGB and
 * indexed-colour images (convert them to 8/16/32-bit grayscale first), complex or undefined samples,
 * planes beyond {@link #MAX_PLANE_PIXELS}.
 */
public final class ImageJStackSource implements ImageStackSource {

    /** Pixels of the largest plane a Java array (and ImageJ) can hold. */
    public static final long MAX_PLANE_PIXELS = Integer.MAX_VALUE - 8;

    /** Reads the plane at a 1-based ImageJ stack index. */
    private interface PlaneReader {
        ImageProcessor read(int stackIndex) throws BadInputException;
    }

    private final StackShape shape;
    private final SampleType sampleType;
    private final Calibration calibration;
    private final String title;
    private final String info;
    private final PlaneReader reader;

    private ImageJStackSource(StackShape shape, SampleType sampleType, Calibration calibration, String title,
            String info, PlaneReader reader) {
        this.shape = shape;
        this.sampleType = sampleType;
        this.calibration = calibration;
        this.title = title;
        this.info = info;
        this.reader = reader;
    }

    /**
     * Opens an image file; TIFF stacks are read lazily, one plane per {@link #readPlane} call.
     *
     * @throws BadInputException if the file is missing, empty, unreadable, truncated, corrupt or not
     *         a grayscale image
     */
    public static ImageJStackSource open(Path path) throws BadInputException {
        if (!Files.exists(path)) {
            throw new BadInputException("File not found: " + path + "; check the path");
        }
        if (Files.isDirectory(path)) {
            throw new BadInputException(path + " is a folder; give an image file or use folder mode");
        }
        long length;
        try {
            length = Files.size(path);
        } catch (IOException e) {
            throw new BadInputException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        if (length == 0) {
            throw new BadInputException(path + " is an empty file (0 bytes); re-export or re-copy it");
        }
        if (!Files.isReadable(path)) {
            throw new BadInputException("Cannot read " + path + "; check its permissions");
        }
        int type = new Opener().getFileType(path.toString());
        return switch (type) {
            case Opener.TIFF, Opener.TIFF_AND_DICOM -> openTiff(path, length);
            case Opener.PNG, Opener.JPEG, Opener.GIF, Opener.BMP, Opener.PGM, Opener.FITS, Opener.DICOM -> {
                WholeImages.requireLoadable(path, type, length);
                yield openWhole(path);
            }
            default -> throw new BadInputException(path.getFileName()
                    + " is not an image ImageJ can read (corrupt, or an unsupported format); save it as TIFF");
        };
    }

    /**
     * Wraps an open ImageJ image without copying it; planes are read through its stack (a virtual
     * stack reads from disk on demand).
     *
     * @throws BadInputException for RGB and indexed-colour images
     */
    public static ImageJStackSource wrap(ImagePlus imp) throws BadInputException {
        requireGrayscale(imp, imp.getTitle());
        requireArraySized(imp.getWidth(), imp.getHeight(), imp.getTitle());
        ImageStack stack = imp.getStack();
        // What ImageJ shows is what is restored: its signed 16-bit calibration gives the signed values.
        SampleType type = imp.getBitDepth() == 16 && imp.getCalibration().isSigned16Bit() ? SampleType.INT16
                : SampleType.ofBitDepth(imp.getBitDepth());
        StackShape shape = new StackShape(imp.getWidth(), imp.getHeight(), imp.getNChannels(), imp.getNSlices(),
                imp.getNFrames(), type.bitDepth());
        if (shape.planeCount() != stack.size()) {
            throw new BadInputException(imp.getTitle() + ": dimensions c*z*t=" + shape.planeCount()
                    + " do not match its " + stack.size() + " planes; fix them with Image > Properties");
        }
        String info = imp.getInfoProperty();
        return new ImageJStackSource(shape, type, toCalibration(imp.getCalibration()), imp.getTitle(),
                info == null ? "" : info, stack::getProcessor);
    }

    private static ImageJStackSource openWhole(Path path) throws BadInputException {
        ImagePlus imp = new Opener().openImage(path.toString());
        if (imp == null) {
            throw new BadInputException(path.getFileName() + " could not be decoded (corrupt?); save it as TIFF");
        }
        return wrap(imp);
    }

    private static ImageJStackSource openTiff(Path path, long fileLength) throws BadInputException {
        File file = path.toAbsolutePath().toFile(); // a bare name has no parent: ImageJ read "null/name"
        FileInfo[] ifds;
        try {
            ifds = new TiffDecoder(file.getParent() + File.separator, file.getName()).getTiffInfo();
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(path.getFileName() + " is not a readable TIFF (" + e.getMessage()
                    + "); re-export it as an uncompressed or LZW TIFF", e);
        }
        if (ifds == null || ifds.length == 0) {
            throw new BadInputException(path.getFileName() + " is a corrupt TIFF (no image directory); re-export it");
        }
        FileInfo first = ifds[0];
        requireArraySized(first.width, first.height, path.getFileName().toString());
        if (first.fileType == FileInfo.RGB48 || first.fileType == FileInfo.RGB48_PLANAR) {
            // Three interleaved 16-bit samples per pixel: ImageJ reads them only whole, as 3 channels.
            TiffPlanes.requireWithinFile(ifds, fileLength, path);
            WholeImages.requireBudget(path.getFileName().toString(), first.width, first.height,
                    3L * Math.max(ifds.length, first.nImages),
                    "split its channels (Image > Color > Split Channels) into 16-bit TIFFs, which are read plane by plane");
            return openWhole(path);
        }
        FileInfo[] planes = TiffPlanes.expand(ifds, fileLength, path);
        TiffPlanes.requireConsistent(planes, path);
        TiffPlanes.requireWithinFile(planes, fileLength, path);
        TiffPlanes.requireDecodable(planes[0], path);

        // Metadata come from decoding the first plane alone (a clone, since decoding mutates it).
        FileInfo one = (FileInfo) planes[0].clone();
        TiffPlanes.requireCompleteDeflate(planes[0], path, 1, planes.length);
        ImagePlus firstImage = new FileOpener(one).openImage();
        if (firstImage == null) {
            throw new BadInputException(path.getFileName() + ": first plane could not be decoded (corrupt?)");
        }
        requireGrayscale(firstImage, path.getFileName().toString());
        SampleType type = sampleType(path, first, firstImage);
        int[] czt = dimensions(first, planes.length);
        StackShape shape = new StackShape(first.width, first.height, czt[0], czt[1], czt[2], type.bitDepth());
        String info = first.info == null ? "" : first.info;
        PlaneReader reader = index -> {
            TiffPlanes.requireCompleteDeflate(planes[index - 1], path, index, planes.length);
            ImageProcessor ip = new FileOpener(planes[index - 1]).openProcessor();
            if (ip == null) {
                throw new BadInputException(path.getFileName() + ": plane " + index + " of " + planes.length
                        + " could not be read (corrupt or truncated file)");
            }
            return ip;
        };
        return new ImageJStackSource(shape, type, toCalibration(firstImage.getCalibration()), file.getName(), info,
                reader);
    }

    /**
     * The numbers the file holds. ImageJ's decoder keeps SampleFormat only for 16-bit data: signed
     * 8-bit samples come out unsigned and unsigned 32-bit ones signed unless corrected here.
     */
    private static SampleType sampleType(Path path, FileInfo first, ImagePlus firstImage) throws BadInputException {
        int format;
        try {
            format = TiffTags.sampleFormat(path);
        } catch (IOException e) {
            throw new BadInputException(path.getFileName() + " is a corrupt TIFF (" + e.getMessage() + "); re-export it", e);
        }
        if (format > TiffTags.FLOAT || format < TiffTags.UNSIGNED) {
            throw new BadInputException(path.getFileName() + " holds " + (format >= 5 ? "complex" : "undefined")
                    + " samples (TIFF SampleFormat " + format + "); save it as 8/16-bit integers or 32-bit float");
        }
        return switch (first.fileType) {
            case FileInfo.GRAY8 -> switch (format) {
                case TiffTags.SIGNED -> SampleType.INT8;
                case TiffTags.UNSIGNED -> SampleType.UINT8;
                default -> throw new BadInputException(path.getFileName()
                        + " claims 8-bit floating-point samples, which do not exist; re-export it");
            };
            case FileInfo.GRAY16_SIGNED, FileInfo.GRAY16_UNSIGNED ->
                firstImage.getCalibration().isSigned16Bit() ? SampleType.INT16 : SampleType.UINT16;
            case FileInfo.GRAY32_INT -> format == TiffTags.SIGNED ? SampleType.INT32 : SampleType.UINT32;
            case FileInfo.GRAY32_UNSIGNED -> SampleType.UINT32;
            default -> SampleType.ofBitDepth(firstImage.getBitDepth());
        };
    }

    /** A plane is one Java array: refuse planes beyond 2<sup>31</sup> pixels before anything allocates one. */
    private static void requireArraySized(long width, long height, String name) throws BadInputException {
        if (width * height > MAX_PLANE_PIXELS) {
            throw new BadInputException(name + " has planes of " + width + "x" + height + " pixels, more than the "
                    + MAX_PLANE_PIXELS + " one plane can hold; crop it or split it into tiles first");
        }
    }

    /** C, Z, T from ImageJ's description when consistent with the plane count; else a Z stack. */
    private static int[] dimensions(FileInfo first, int planeCount) {
        FileInfo copy = (FileInfo) first.clone();
        Properties props = new FileOpener(copy).decodeDescriptionString(copy);
        if (props != null) {
            int c = positiveInt(props, "channels");
            int z = positiveInt(props, "slices");
            int t = positiveInt(props, "frames");
            // Exact: claims such as channels=2^21, slices=2^21, frames=2^22 wrap a long to any count.
            if (c <= planeCount && z <= planeCount && t <= planeCount
                    && Math.multiplyHigh((long) c * z, t) == 0 && (long) c * z * t == planeCount) {
                return new int[] {c, z, t};
            }
        }
        return new int[] {1, planeCount, 1};
    }

    private static int positiveInt(Properties props, String key) {
        try {
            int n = (int) Double.parseDouble(props.getProperty(key, "1").trim());
            return Math.max(n, 1);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void requireGrayscale(ImagePlus imp, String name) throws BadInputException {
        switch (imp.getType()) {
            case ImagePlus.GRAY8, ImagePlus.GRAY16, ImagePlus.GRAY32 -> {
            }
            case ImagePlus.COLOR_RGB -> throw new BadInputException(name
                    + " is an RGB image; convert to 8/16/32-bit grayscale (Image > Type, or split channels) first");
            case ImagePlus.COLOR_256 -> throw new BadInputException(name
                    + " is an 8-bit colour (LUT) image; convert to 8/16/32-bit grayscale (Image > Type) first");
            default -> throw new BadInputException(name + " has an unsupported pixel type; convert to 8/16/32-bit grayscale");
        }
    }

    private static Calibration toCalibration(ij.measure.Calibration cal) {
        return new Calibration(cal.pixelWidth, cal.pixelHeight, cal.pixelDepth, cal.getUnit(), cal.frameInterval,
                cal.getTimeUnit());
    }

    @Override
    public int width() {
        return shape.width();
    }

    @Override
    public int height() {
        return shape.height();
    }

    @Override
    public int channels() {
        return shape.channels();
    }

    @Override
    public int slices() {
        return shape.slices();
    }

    @Override
    public int frames() {
        return shape.frames();
    }

    @Override
    public int bitDepth() {
        return shape.bitDepth();
    }

    @Override
    public StackShape shape() {
        return shape;
    }

    @Override
    public SampleType sampleType() {
        return sampleType;
    }

    @Override
    public Calibration calibration() {
        return calibration;
    }

    @Override
    public String title() {
        return title;
    }

    /** ImageJ's "Info" property (free text, e.g. which model produced the image); empty if none. */
    public String info() {
        return info;
    }

    @Override
    public FloatPlane readPlane(int c, int z, int t) throws BadInputException {
        ImageProcessor ip = reader.read(shape.planeIndex(c, z, t) + 1);
        float[] data = new float[shape.width() * shape.height()];
        SampleType type = sampleType;
        for (int i = 0; i < data.length; i++) {
            data[i] = type.value(ip.getf(i));
        }
        return new FloatPlane(shape.width(), shape.height(), data);
    }

    /** Nothing to release: each plane read opens and closes its own stream. */
    @Override
    public void close() {
    }
}
