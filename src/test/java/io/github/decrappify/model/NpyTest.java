package io.github.decrappify.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsShapeAndValues() throws IOException {
        float[] data = new float[2 * 3 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f - 3;
        }
        Path file = dir.resolve("t.npy");
        Npy.write(file, new Npy.Tensor(new int[] {1, 2, 3, 4}, data));
        Npy.Tensor back = Npy.read(file);
        assertArrayEquals(new int[] {1, 2, 3, 4}, back.shape());
        assertArrayEquals(data, back.data());
    }

    @Test
    void headerIsExactlyWhatNumpyWrites() {
        byte[] bytes = Npy.toBytes(new Npy.Tensor(new int[] {1, 2, 2, 1}, new float[] {1, 2, 3, 4}));
        // numpy.save(np.arange(1,5,dtype='<f4').reshape(1,2,2,1)) writes a 128-byte header (format 1.0).
        assertEquals(128 + 16, bytes.length);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        assertEquals(118, ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort());
        String header = new String(bytes, 10, 118, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 2, 1), }"), header);
        assertTrue(header.endsWith(" \n"));
        assertEquals(4f, ByteBuffer.wrap(bytes, 128 + 12, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void oneDimensionalShapeUsesPythonTupleSyntax() throws IOException {
        byte[] bytes = Npy.toBytes(new Npy.Tensor(new int[] {3}, new float[] {1, 2, 3}));
        assertTrue(new String(bytes, StandardCharsets.US_ASCII).contains("'shape': (3,)"));
        Path file = dir.resolve("v.npy");
        Files.write(file, bytes);
        assertArrayEquals(new int[] {3}, Npy.read(file).shape());
    }

    @Test
    void readsVersion2Headers() throws IOException {
        Path file = dir.resolve("v2.npy");
        Files.write(file, rawNpy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8));
        assertArrayEquals(new float[] {0, 0}, Npy.read(file).data());
    }

    @Test
    void refusesOtherDtypesWithTheDtypeInTheMessage() throws IOException {
        Path file = dir.resolve("f8.npy");
        Files.write(file, rawNpy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 8));
        IOException e = assertThrows(IOException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("dtype '<f8' is not supported"), e.getMessage());
        Files.write(file, rawNpy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", 4));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(file)).getMessage().contains("'>f4'"));
    }

    @Test
    void refusesFortranOrder() throws IOException {
        Path file = dir.resolve("fortran.npy");
        Files.write(file, rawNpy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(file)).getMessage().contains("Fortran-order"));
    }

    @Test
    void refusesHugeHeadersAndShapesThatDoNotMatchTheData() throws IOException {
        Path file = dir.resolve("bad.npy");
        byte[] huge = new byte[10];
        System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}, 0, huge, 0, 8);
        Files.write(file, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).put(huge, 0, 8)
                .putInt(Integer.MAX_VALUE).array());
        assertTrue(assertThrows(IOException.class, () -> Npy.read(file)).getMessage().contains("exceeds"));
        // A shape claiming 2^40 elements must be refused before any allocation.
        Files.write(file, rawNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }", 8));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(file)).getMessage().contains("has more than 268435456 values"));
        Files.write(file, rawNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 8));
        assertThrows(IOException.class, () -> Npy.read(file));
        Files.write(file, "not numpy".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(file)).getMessage().contains("bad magic"));
    }

    @Test
    void aShapeWhoseBytesOverflowAnIntIsRefusedEvenWhenTheFileHoldsThem() throws IOException {
        // 2^29 + 1 floats: 4 n wrapped to a negative int and failed with IllegalArgumentException instead of one line.
        Path file = dir.resolve("big.npy");
        byte[] head = rawNpy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (536870913,), }", 0);
        Files.write(file, head);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(head.length + 4L * 536870913); // sparse: no disk used
        }
        IOException e = assertThrows(IOException.class, () -> Npy.read(file));
        assertEquals("big.npy: shape [536870913] has more than 268435456 values; test tensors must be small (a tile or two)",
                e.getMessage());
    }

    private static byte[] rawNpy(int major, String dict, int dataBytes) {
        int lengthBytes = major == 1 ? 2 : 4;
        String header = dict + "\n";
        ByteBuffer buf = ByteBuffer.allocate(8 + lengthBytes + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            buf.putShort((short) header.length());
        } else {
            buf.putInt(header.length());
        }
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        return buf.array();
    }
}
