package io.github.decrappify.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Locale;

/**
 * Streams planes into an ImageJ-compatible TIFF without ever holding the stack in memory.
 *
 * <p>The file is laid out as ImageJ writes stacks: one header, the first image directory with an
 * ImageJ description ({@code images=, channels=, slices=, frames=, hyperstack=true, unit=, spacing=,
 * finterval=, min=, max=}), pixel size as XResolution/YResolution, the "Info" property in ImageJ's
 * MetaData tags, then all planes contiguously (uncompressed, little-endian), then one directory per
 * further plane. Because the planes' positions are known in advance, planes may be written in any order.
 *
 * <p><b>Beyond 4 GiB</b> classic TIFF offsets overflow. Like ImageJ, the writer then omits the
 * directories after the first: ImageJ and {@link ImageJStackSource} find every plane from
 * {@code images=n} in the description (planes are contiguous), other TIFF readers see the first
 * plane only. BigTIFF is not written because ImageJ 1 cannot read it.
 *
 * <p><b>Atomicity</b>: everything goes to a unique hidden {@code .<name>.*.part} file beside the target,
 * created exclusively, while the target is locked against a second writer ({@link AtomicFiles#open}); {@link #commit()}
 * completes the file and renames it onto the target (replacing an existing file: whether that is
 * allowed is the caller's decision). {@link #close()} without commit deletes the temporary file, so a
 * failed or interrupted run never leaves a file that looks complete.
 *
 * <pre>{@code
 * try (TiffStackWriter w = new TiffStackWriter(out, shape, calibration, "restored by model X")) {
 *     for (...) w.writePlane(c, z, t, plane);
 *     w.commit();
 * }
 * }</pre>
 *
 * <p>8- and 16-bit outputs are rounded to the nearest integer and clamped to the type's range (NaN
 * becomes 0). Not thread-safe.
 */
public final class TiffStackWriter implements AutoCloseable {

    /** Classic TIFF offsets are unsigned 32-bit. */
    static final long MAX_CLASSIC_OFFSET = 0xffffffffL;
    /** Room kept in the description for the display range, known only when all planes are written. */
    private static final int DISPLAY_RANGE_RESERVE = 64;

    private final Path target;
    private final AtomicFiles.Output output;
    private final StackShape shape;
    private final TiffLayout layout;
    private final Calibration calibration;
    private final String info;
    private final FileChannel channel;
    private final ByteBuffer planeBuffer;
    private final BitSet written;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private boolean committed;
    private boolean closed;

    /**
     * Creates a unique hidden temporary file beside the target ({@link AtomicFiles#open}).
     *
     * @throws IOException also when another writer is writing the same target
     *
     * @param info free text stored as ImageJ's "Info" property (e.g. the model that produced the image);
     *        empty for none
     */
    public TiffStackWriter(Path target, StackShape shape, Calibration calibration, String info) throws IOException {
        this(target, shape, calibration, info, false);
    }

    /** @param singleDirectory forces the beyond-4-GiB layout (tests check it on small files) */
    TiffStackWriter(Path target, StackShape shape, Calibration calibration, String info, boolean singleDirectory)
            throws IOException {
        if (shape.planeBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a single plane above 2 GiB cannot be written: " + shape);
        }
        this.target = target.toAbsolutePath();
        this.shape = shape;
        this.calibration = calibration;
        this.info = info == null ? "" : info;
        int descriptionBytes = description(Double.NaN, Double.NaN).length;
        this.layout = new TiffLayout(shape, calibration.isCalibrated(), descriptionBytes, this.info.length(),
                singleDirectory);
        this.planeBuffer = ByteBuffer.allocate((int) shape.planeBytes()).order(ByteOrder.LITTLE_ENDIAN);
        this.written = new BitSet(shape.planeCount());
        this.output = AtomicFiles.open(this.target);
        this.channel = output.channel();
    }

    /**
     * Refuses, before any work, an output whose name promises another format than the TIFF written
     * ({@code -o x.png} used to get a TIFF under a .png name). Names ending in .tif/.tiff, or without an
     * extension, pass.
     *
     * @param label how the user named the output in the message (an option such as {@code -o}, or "Output")
     */
    public static void requireTiffName(String label, Path output) throws BadInputException {
        String name = output.getFileName() == null ? "" : output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return;
        }
        String ext = name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        if (!ext.equals("tif") && !ext.equals("tiff")) {
            throw new BadInputException(label + " " + output + ": outputs are written as TIFF, not ." + ext + "; name it "
                    + name.substring(0, dot) + ".tif");
        }
    }

    public Path target() {
        return target;
    }

    /** Where data go until {@link #commit()}. */
    public Path temporaryFile() {
        return output.temporaryFile();
    }

    public StackShape shape() {
        return shape;
    }

    /** Writes plane (c, z, t), 0-based, converting to the stack's bit depth. */
    public void writePlane(int c, int z, int t, FloatPlane plane) throws IOException {
        requireOpen();
        if (plane.width() != shape.width() || plane.height() != shape.height() || plane.channels() != 1) {
            throw new IllegalArgumentException("plane " + plane + " does not fit stack " + shape);
        }
        int index = shape.planeIndex(c, z, t);
        encode(plane.data());
        long position = layout.planeOffset(index);
        while (planeBuffer.hasRemaining()) {
            position += channel.write(planeBuffer, position);
        }
        written.set(index);
    }

    private void encode(float[] data) {
        planeBuffer.clear();
        switch (shape.bitDepth()) {
            case 32 -> {
                planeBuffer.asFloatBuffer().put(data); // bulk copy; the view shares position 0 and byte order
                planeBuffer.position(data.length * 4);
                for (float v : data) {
                    track(v);
                }
            }
            case 16 -> {
                for (float v : data) {
                    int q = quantize(v, 65535);
                    planeBuffer.putShort((short) q);
                    track(q);
                }
            }
            default -> {
                for (float v : data) {
                    int q = quantize(v, 255);
                    planeBuffer.put((byte) q);
                    track(q);
                }
            }
        }
        planeBuffer.flip();
    }

    private static int quantize(float v, int maxValue) {
        if (!(v > 0)) {
            return 0; // also NaN
        }
        return v >= maxValue ? maxValue : Math.round(v);
    }

    private void track(double v) {
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    /**
     * Completes the file (directories, description with the display range) and atomically renames it
     * onto the target.
     *
     * @throws IllegalStateException if some plane was never written
     */
    public void commit() throws IOException {
        requireOpen();
        if (written.cardinality() != shape.planeCount()) {
            throw new IllegalStateException("only " + written.cardinality() + " of " + shape.planeCount()
                    + " planes written to " + target);
        }
        writeDirectories();
        output.commit();
        committed = true;
    }

    private void writeDirectories() throws IOException {
        byte[] description = description(min, max);
        ByteBuffer head = ByteBuffer.allocate(layout.headerBytes()).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(TiffLayout.FIRST_IFD);
        long next = layout.trailingDirectories() ? layout.directoryOffset(1) : 0;
        layout.putDirectory(head, 0, true, next);
        head.position(layout.descriptionOffset());
        head.put(description);
        if (calibration.isCalibrated()) {
            head.position(layout.resolutionOffset());
            putRational(head, 1 / calibration.pixelWidth());
            putRational(head, 1 / calibration.pixelHeight());
        }
        if (!info.isEmpty()) {
            head.position(layout.metadataOffset());
            head.putInt(TiffLayout.METADATA_HEADER_BYTES).putInt(info.length() * 2);
            head.putInt(0x494a494a).putInt(0x696e666f).putInt(1); // "IJIJ" magic, "info" type, count 1
            for (int i = 0; i < info.length(); i++) {
                head.putChar(info.charAt(i));
            }
        }
        head.rewind();
        writeFully(head, 0);
        if (layout.trailingDirectories()) {
            int n = shape.planeCount();
            ByteBuffer tail = ByteBuffer.allocate((int) (layout.directoryBytes(false) * (long) (n - 1)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 1; i < n; i++) {
                layout.putDirectory(tail, i, false, i + 1 < n ? layout.directoryOffset(i + 1) : 0);
            }
            tail.flip();
            writeFully(tail, layout.directoryOffset(1));
        }
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    /** A rational with 31-bit numerator and denominator (ImageJ reads them as signed ints) and maximal precision. */
    private static void putRational(ByteBuffer buffer, double value) {
        long denominator = Math.max(1, Math.min(Integer.MAX_VALUE, (long) (Integer.MAX_VALUE / Math.max(value, 1))));
        long numerator = Math.min(Integer.MAX_VALUE, Math.round(value * denominator));
        buffer.putInt((int) numerator).putInt((int) denominator);
    }

    /** ImageJ's description: Java properties, NUL-terminated, non-ASCII escaped as ImageJ does. */
    private byte[] description(double displayMin, double displayMax) {
        int n = shape.planeCount();
        StringBuilder sb = new StringBuilder("ImageJ=").append(ij.ImageJ.VERSION).append('\n');
        if (n > 1) {
            sb.append("images=").append(n).append('\n');
            sb.append("channels=").append(shape.channels()).append('\n');
            sb.append("slices=").append(shape.slices()).append('\n');
            sb.append("frames=").append(shape.frames()).append('\n');
            sb.append("hyperstack=true\n");
            if (shape.channels() > 1) {
                sb.append("mode=grayscale\n");
            }
        }
        if (calibration.isCalibrated()) {
            sb.append("unit=").append(escape(calibration.unit())).append('\n');
            if (n > 1) {
                sb.append("spacing=").append(calibration.pixelDepth()).append('\n');
            }
        }
        if (calibration.frameInterval() != 0) {
            sb.append("finterval=").append(calibration.frameInterval()).append('\n');
        }
        if (calibration.timeUnit() != null && !calibration.timeUnit().equals("sec")) {
            sb.append("tunit=").append(escape(calibration.timeUnit())).append('\n');
        }
        if (n > 1) {
            sb.append("loop=false\n");
        }
        // The display range is known only at commit; it goes into a fixed-size block padded with blank
        // lines (ignored by ImageJ), so the description's length, and hence the layout, never changes.
        String range = !Double.isFinite(displayMin) || !Double.isFinite(displayMax) ? ""
                : String.format(Locale.ROOT, "min=%s\nmax=%s\n", displayMin, displayMax);
        byte[] fixed = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] rangeBytes = range.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[fixed.length + DISPLAY_RANGE_RESERVE];
        System.arraycopy(fixed, 0, out, 0, fixed.length);
        java.util.Arrays.fill(out, fixed.length, out.length - 1, (byte) '\n');
        System.arraycopy(rangeBytes, 0, out, fixed.length, Math.min(rangeBytes.length, DISPLAY_RANGE_RESERVE - 1));
        out[out.length - 1] = 0; // TIFF ASCII values end with NUL
        return out;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch < 32 || ch > 126) {
                sb.append(String.format(Locale.ROOT, "\\u%04X", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    private void requireOpen() {
        if (closed || committed) {
            throw new IllegalStateException("writer for " + target + " is already " + (committed ? "committed" : "closed"));
        }
    }

    /** Deletes the temporary file unless {@link #commit()} succeeded. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        output.close();
    }
}
