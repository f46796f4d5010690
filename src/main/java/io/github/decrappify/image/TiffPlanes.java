package io.github.decrappify.image;

import ij.io.FileInfo;
import java.nio.file.Path;

/** Plane layout of a TIFF as ImageJ decodes it: one {@link FileInfo} per plane, checked against the file. */
final class TiffPlanes {

    private TiffPlanes() {
    }

    /**
     * One entry per plane. ImageJ stacks record {@code images=n} in their description and store planes
     * contiguously after the first image directory, which is then the only one decoded (and, above
     * 4 GiB, the only one present); other TIFFs have one directory per plane.
     */
    static FileInfo[] expand(FileInfo[] ifds, long fileLength, Path path) throws BadInputException {
        FileInfo first = ifds[0];
        if (ifds.length > 1 || first.nImages <= 1) {
            return ifds;
        }
        long stride = bytesPerPlane(first) + first.getGap();
        // The claim comes from the file: check it against the file's length before allocating per plane
        // (images=2000000000 in a 16 kB file used to run out of memory after minutes), in exact
        // arithmetic (a wrapped product would pass the check).
        long end;
        try {
            end = Math.addExact(Math.addExact(first.getOffset(), Math.multiplyExact((long) (first.nImages - 1), stride)),
                    bytesPerPlane(first));
        } catch (ArithmeticException e) {
            end = Long.MAX_VALUE;
        }
        if (stride <= 0 || end > fileLength) {
            throw new BadInputException(path.getFileName() + " is truncated or its description is wrong: it claims "
                    + first.nImages + " planes of " + bytesPerPlane(first) + " bytes (" + end + " bytes) but the file has "
                    + fileLength + "; re-copy or re-export it");
        }
        FileInfo[] planes = new FileInfo[first.nImages];
        for (int i = 0; i < planes.length; i++) {
            FileInfo fi = (FileInfo) first.clone();
            fi.nImages = 1;
            fi.longOffset = first.getOffset() + i * stride;
            fi.stripOffsets = null;
            fi.stripLengths = null;
            planes[i] = fi;
        }
        return planes;
    }

    static void requireConsistent(FileInfo[] planes, Path path) throws BadInputException {
        FileInfo first = planes[0];
        if (first.width <= 0 || first.height <= 0) {
            throw new BadInputException(path.getFileName() + " is a corrupt TIFF (image size " + first.width + "x"
                    + first.height + "); re-export it");
        }
        for (int i = 1; i < planes.length; i++) {
            FileInfo fi = planes[i];
            if (fi.width != first.width || fi.height != first.height || fi.fileType != first.fileType) {
                throw new BadInputException(path.getFileName() + ": page " + (i + 1)
                        + " differs in size or type from page 1; split the file into uniform stacks");
            }
        }
    }

    /** Refuses truncated files, which ImageJ would otherwise read as silently blank planes. */
    static void requireWithinFile(FileInfo[] planes, long fileLength, Path path) throws BadInputException {
        for (int i = 0; i < planes.length; i++) {
            long end = end(planes[i]);
            if (end > fileLength) {
                throw new BadInputException(path.getFileName() + " is truncated: plane " + (i + 1) + " of "
                        + planes.length + " needs " + end + " bytes but the file has " + fileLength
                        + "; re-copy or re-export it");
            }
        }
    }

    /**
     * A plane is decoded whole: a compressed one is not bounded by the file's length (1 kB of deflate
     * claimed a 40000x40000 float plane and ran out of memory). Policy as {@link WholeImages}: what
     * reading one plane holds at once (the decompressed bytes, ImageJ's pixels and the float plane)
     * must fit in half the heap.
     */
    static void requireDecodable(FileInfo fi, Path path) throws BadInputException {
        long pixels = (long) fi.width * fi.height;
        long compressed = fi.compression > FileInfo.COMPRESSION_NONE ? bytesPerPlane(fi) : 0;
        double need = compressed + (double) pixels * (Math.max(fi.getBytesPerPixel(), 1) + Float.BYTES);
        long budget = Runtime.getRuntime().maxMemory() / 2;
        if (need > budget) {
            throw new BadInputException(String.format(java.util.Locale.ROOT,
                    "%s has planes of %dx%d pixels, too large to read (%.1f GiB to decode one, %.1f GiB of memory);"
                            + " crop it or split it into tiles, or give Java more memory (JAVA_OPTS=-Xmx…)",
                    path.getFileName(), fi.width, fi.height, need / 1073741824.0, budget / 1073741824.0));
        }
    }

    /**
     * Deflate strips inflated here first, into a small buffer: ImageJ's decoder loops forever on a
     * strip cut short (a truncated deflate TIFF hung restore) and collects whatever a strip expands to
     * (up to 1032 times its length). A strip that ends early, is corrupt, or expands to more than twice
     * the plane is refused naming the plane.
     */
    static void requireCompleteDeflate(FileInfo fi, Path path, int index, int count) throws BadInputException {
        if ((fi.compression != FileInfo.ZIP && fi.compression != FileInfo.ZIP_WITH_DIFFERENCING)
                || fi.stripOffsets == null || fi.stripLengths == null) {
            return;
        }
        long limit = 2 * bytesPerPlane(fi) + 65536;
        long total = 0;
        String where = path.getFileName() + ": plane " + index + " of " + count;
        byte[] in = new byte[65536];
        byte[] out = new byte[65536];
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path)) {
            int strips = Math.min(fi.stripOffsets.length, fi.stripLengths.length);
            for (int s = 0; s < strips; s++) {
                long at = fi.stripOffsets[s] & 0xffffffffL;
                long left = fi.stripLengths[s] & 0xffffffffL;
                java.util.zip.Inflater inflater = new java.util.zip.Inflater();
                try {
                    while (!inflater.finished()) {
                        if (inflater.needsInput()) {
                            if (left == 0) {
                                throw new BadInputException(where + " is cut short (deflate strip " + (s + 1)
                                        + " ends before its data); re-copy or re-export it");
                            }
                            int n = ch.read(java.nio.ByteBuffer.wrap(in, 0, (int) Math.min(in.length, left)), at);
                            if (n <= 0) {
                                throw new BadInputException(where + " is truncated; re-copy or re-export it");
                            }
                            at += n;
                            left -= n;
                            inflater.setInput(in, 0, n);
                        }
                        total += inflater.inflate(out);
                        if (inflater.needsDictionary() || total > limit) {
                            throw new BadInputException(where + " is corrupt (deflate strip " + (s + 1)
                                    + (total > limit ? " expands beyond the plane's size" : " needs a preset dictionary")
                                    + "); re-export it");
                        }
                    }
                } catch (java.util.zip.DataFormatException e) {
                    throw new BadInputException(where + " is corrupt (deflate strip " + (s + 1) + ": " + e.getMessage()
                            + "); re-export it", e);
                } finally {
                    inflater.end();
                }
            }
        } catch (java.io.IOException e) {
            throw new BadInputException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static long end(FileInfo fi) {
        if (fi.compression > FileInfo.COMPRESSION_NONE && fi.stripOffsets != null && fi.stripLengths != null) {
            long end = 0;
            int n = Math.min(fi.stripOffsets.length, fi.stripLengths.length);
            for (int s = 0; s < n; s++) {
                end = Math.max(end, (fi.stripOffsets[s] & 0xffffffffL) + (fi.stripLengths[s] & 0xffffffffL));
            }
            return end;
        }
        return fi.getOffset() + bytesPerPlane(fi);
    }

    static long bytesPerPlane(FileInfo fi) {
        long pixels = (long) fi.width * fi.height;
        return switch (fi.fileType) {
            case FileInfo.BITMAP -> (long) ((fi.width + 7) / 8) * fi.height;
            case FileInfo.GRAY12_UNSIGNED -> (long) (1.5 * fi.width) * fi.height;
            case FileInfo.GRAY10_UNSIGNED -> (long) (1.25 * fi.width) * fi.height;
            default -> pixels * fi.getBytesPerPixel();
        };
    }
}
