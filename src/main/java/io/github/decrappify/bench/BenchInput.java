package io.github.decrappify.bench;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.TiffStackWriter;
import io.github.decrappify.image.ops.Resample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The fixed bench input: sections 00–07 of {@code cardona_ssTEM_L3_vnc_gerhard2013/stack2_raw} (1024²
 * ssTEM), area-downsampled ×4 to 256² LR planes, so that a ×4 model produces 1024² outputs. When the
 * shared data is absent a seeded synthetic texture of the same size stands in (reported as such).
 */
final class BenchInput {
    static final int LR = 256;

    final List<FloatPlane> planes = new ArrayList<>();
    final String description;

    private BenchInput(String description) {
        this.description = description;
    }

    static BenchInput load(Path shared) {
        Path dir = shared.resolve("data/cardona_ssTEM_L3_vnc_gerhard2013/stack2_raw");
        if (Files.isDirectory(dir)) {
            BenchInput in = new BenchInput("cardona stack2_raw sections 00-07, area-downsampled x4 to 256x256 LR");
            for (int i = 0; i < 8; i++) {
                ImagePlus imp = IJ.openImage(dir.resolve(String.format("%02d.tif", i)).toString());
                if (imp == null) {
                    break;
                }
                float[] px = (float[]) imp.getProcessor().convertToFloatProcessor().getPixels();
                in.planes.add(Resample.areaDown(new FloatPlane(imp.getWidth(), imp.getHeight(), px), 4));
            }
            if (!in.planes.isEmpty()) {
                return in;
            }
        }
        BenchInput in = new BenchInput("synthetic seeded texture 256x256 (shared data not found)");
        Random r = new Random(1);
        for (int i = 0; i < 8; i++) {
            float[] d = new float[LR * LR];
            for (int j = 0; j < d.length; j++) {
                d[j] = (float) (128 + 60 * Math.sin(j % LR * 0.2) * Math.cos(j / LR * 0.15) + 20 * r.nextGaussian());
            }
            in.planes.add(new FloatPlane(LR, LR, d));
        }
        return in;
    }

    /** Writes {@code count} planes (cycling through the input) as one 8-bit Z-stack TIFF. */
    Path writeStack(Path file, int count) throws IOException {
        StackShape shape = new StackShape(LR, LR, 1, count, 1, 8);
        try (TiffStackWriter w = new TiffStackWriter(file, shape, new Calibration(18.4, 18.4, 50, "nm", 0, "sec"),
                "Decrappify bench input: " + description)) {
            for (int z = 0; z < count; z++) {
                w.writePlane(0, z, 0, planes.get(z % planes.size()));
            }
            w.commit();
        }
        return file;
    }
}
