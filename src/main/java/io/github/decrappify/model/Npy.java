package io.github.decrappify.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files holding little-endian float32 ({@code <f4}) arrays in C order, as bioimage.io
 * test tensors are. Writes format 1.0 (2.0 for huge headers) exactly as NumPy does; reads 1.0, 2.0 and
 * 3.0 headers. Anything else (other dtypes, big-endian, Fortran order) is refused with an
 * {@link IOException} saying what was found, and header and data sizes are bounded before allocating.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy itself refuses headers above 10 000 bytes unless told otherwise. */
    static final int MAX_HEADER = 1 << 16;
    /** 256 Mi floats (1 GiB, so the bytes fit one Java array); test tensors are far smaller. */
    static final long MAX_ELEMENTS = 1L << 28;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * A float32 array in C order: the last index varies fastest, so NHWC element {@code (0, y, x, c)} of a
     * {@code (1, H, W, C)} tensor is {@code data[(y * W + x) * C + c]}.
     */
    public record Tensor(int[] shape, float[] data) {
        public Tensor {
            shape = shape.clone();
            if (elements(shape) != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + elements(shape)
                        + " values, got " + data.length);
            }
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    /** Writes {@code tensor} to {@code file}. */
    public static void write(Path file, Tensor tensor) throws IOException {
        Files.write(file, toBytes(tensor));
    }

    /** The complete {@code .npy} file content for {@code tensor}. */
    public static byte[] toBytes(Tensor tensor) {
        StringBuilder dims = new StringBuilder();
        for (int d : tensor.shape) {
            dims.append(d).append(", ");
        }
        String shape = tensor.shape.length == 1 ? dims.substring(0, dims.length() - 1)
                : tensor.shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        int prefix = MAGIC.length + 2 + 2;
        boolean v2 = prefix + dict.length() + 1 > 0xFFFF;
        if (v2) {
            prefix += 2;
        }
        // NumPy pads with spaces so the data starts on a 64-byte boundary, then ends the header with '\n'.
        int total = (prefix + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(total + 4 * tensor.data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) {
            buf.putInt(header.length());
        } else {
            buf.putShort((short) header.length());
        }
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        buf.asFloatBuffer().put(tensor.data);
        return buf.array();
    }

    /** Reads a float32 {@code .npy} file; the message of any failure starts with the file name. */
    public static Tensor read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, size, file.getFileName().toString());
        }
    }

    private static Tensor read(InputStream in, long fileSize, String name) throws IOException {
        byte[] start = in.readNBytes(MAGIC.length + 2);
        if (start.length < 8 || !Arrays.equals(Arrays.copyOf(start, MAGIC.length), MAGIC)) {
            throw new IOException(name + ": not a NumPy .npy file (bad magic bytes)");
        }
        int major = start[6];
        int lengthBytes = major == 1 ? 2 : 4;
        if (major < 1 || major > 3) {
            throw new IOException(name + ": .npy format version " + major + " is not supported (1, 2 or 3)");
        }
        byte[] len = in.readNBytes(lengthBytes);
        if (len.length < lengthBytes) {
            throw new IOException(name + ": truncated .npy header");
        }
        ByteBuffer lb = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? Short.toUnsignedInt(lb.getShort()) : Integer.toUnsignedLong(lb.getInt());
        if (headerLength > MAX_HEADER) {
            throw new IOException(name + ": .npy header of " + headerLength + " bytes exceeds the " + MAX_HEADER
                    + "-byte limit");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new IOException(name + ": truncated .npy header");
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
        int[] shape = parseHeader(header, name);
        long n = elements(shape);
        long dataOffset = MAGIC.length + 2 + lengthBytes + headerLength;
        if (n > MAX_ELEMENTS) {
            throw new IOException(name + ": shape " + Arrays.toString(shape) + " has more than " + MAX_ELEMENTS
                    + " values; test tensors must be small (a tile or two)");
        }
        if (fileSize - dataOffset != 4 * n) {
            throw new IOException(name + ": shape " + Arrays.toString(shape) + " does not match the "
                    + (fileSize - dataOffset) + " data bytes in the file (4 per float32)");
        }
        byte[] raw = in.readNBytes((int) (4 * n));
        if (raw.length != 4 * n) {
            throw new IOException(name + ": truncated .npy data");
        }
        float[] data = new float[(int) n];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new Tensor(shape, data);
    }

    private static int[] parseHeader(String header, String name) throws IOException {
        if (!header.startsWith("{") || !header.endsWith("}")) {
            throw new IOException(name + ": .npy header is not a Python dict literal");
        }
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IOException(name + ": .npy header lacks descr, fortran_order or shape");
        }
        if (!descr.group(1).equals("<f4")) {
            throw new IOException(name + ": dtype '" + descr.group(1) + "' is not supported; test tensors must be"
                    + " little-endian float32 ('<f4')");
        }
        if (fortran.group(1).equals("True")) {
            throw new IOException(name + ": Fortran-order arrays are not supported; save with C order"
                    + " (numpy.ascontiguousarray)");
        }
        String dims = shape.group(1).trim();
        if (dims.endsWith(",")) {
            dims = dims.substring(0, dims.length() - 1);
        }
        if (dims.isBlank()) {
            return new int[0];
        }
        String[] parts = dims.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim().replaceFirst("L$", "");
            if (!p.matches("\\d{1,10}") || Long.parseLong(p) > Integer.MAX_VALUE) {
                throw new IOException(name + ": bad .npy shape '(" + shape.group(1) + ")'");
            }
            out[i] = Integer.parseInt(p);
        }
        return out;
    }

    static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
            if (n > MAX_ELEMENTS) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }
}
