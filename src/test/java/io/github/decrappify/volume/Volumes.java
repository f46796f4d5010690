package io.github.decrappify.volume;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.image.zarr.OmeZarrStackSource;
import io.github.decrappify.image.zarr.ZarrArray;
import io.github.decrappify.image.zarr.ZarrCompressor;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.restore.Restorer;
import io.github.decrappify.tile.TileModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Test volumes written as OME-Zarr, and the single-machine reference restoration of them. */
public final class Volumes {

    private Volumes() {
    }

    /** Pixel value of the synthetic specimen at (c, z, t, x, y): smooth structure plus texture, integer-valued. */
    public static float value(int c, int z, int t, int x, int y) {
        double v = 1000 + 600 * Math.sin(x * 0.13 + c) * Math.cos(y * 0.09 - z * 0.4 + t)
                + 300 * Math.sin((x * 7 + y * 13 + z * 29 + c * 31) * 0.7);
        return (float) Math.rint(v);
    }

    /** Writes an OME-Zarr (uint16) of the synthetic specimen with the given input chunking. */
    public static Path write(Path dir, StackShape shape, Calibration cal, int[] chunkZyx) throws IOException {
        OmeZarr img = OmeZarr.create(dir, shape, cal, chunkZyx, ZarrCompressor.zlib(1), "synthetic", null);
        ZarrArray a = img.array();
        int[] ch = a.chunks();
        long[] grid = a.chunkGrid();
        for (int t = 0; t < shape.frames(); t++) {
            for (int c = 0; c < shape.channels(); c++) {
                for (long zc = 0; zc < grid[2]; zc++) {
                    for (long yc = 0; yc < grid[3]; yc++) {
                        for (long xc = 0; xc < grid[4]; xc++) {
                            float[] data = new float[a.chunkElements()];
                            for (int z = 0; z < ch[2]; z++) {
                                for (int y = 0; y < ch[3]; y++) {
                                    for (int x = 0; x < ch[4]; x++) {
                                        int Z = (int) zc * ch[2] + z, Y = (int) yc * ch[3] + y, X = (int) xc * ch[4] + x;
                                        if (Z < shape.slices() && Y < shape.height() && X < shape.width()) {
                                            data[(z * ch[3] + y) * ch[4] + x] = value(c, Z, t, X, Y);
                                        }
                                    }
                                }
                            }
                            a.writeChunk(new long[] {t, c, zc, yc, xc}, data);
                        }
                    }
                }
            }
        }
        return dir;
    }

    /** The single-machine result: {@link Restorer} plane by plane, kept in memory by (c, z, t). */
    public static Map<String, FloatPlane> reference(TileModel model, RestoreSettings settings, Path input)
            throws BadInputException, IOException {
        Map<String, FloatPlane> planes = new HashMap<>();
        try (ImageStackSource src = VolumeJob.openSource(input)) {
            new Restorer(model, settings).restore(src, (c, z, t, p) -> planes.put(key(c, z, t), p));
        }
        return planes;
    }

    public static String key(int c, int z, int t) {
        return c + "," + z + "," + t;
    }

    /** Plane (c, z, t) of a restored OME-Zarr. */
    public static FloatPlane plane(Path output, int c, int z, int t) throws BadInputException {
        try (OmeZarrStackSource src = OmeZarrStackSource.open(output)) {
            return src.readPlane(c, z, t);
        }
    }
}
