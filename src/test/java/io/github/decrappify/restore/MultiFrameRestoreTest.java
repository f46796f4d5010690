package io.github.decrappify.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageJStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.TiffStackWriter;
import io.github.decrappify.model.BundleSpec;
import io.github.decrappify.model.BundleWriter;
import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.model.Npy;
import io.github.decrappify.net.Params;
import io.github.decrappify.net.SavedModelExport;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.BundleModel;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.LoadedModel;
import io.github.decrappify.runtime.TensorFlowNatives;
import io.github.decrappify.train.TrainGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 3-frame TF model restores every plane of a Z-stack, using mirrored neighbours at the ends. */
class MultiFrameRestoreTest {

    @TempDir
    Path tmp;

    @Test
    void threeFrameModelUsesNeighboursAndKeepsEveryPlane() throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        UNetConfig cfg = UNetConfig.unetS(2, 3);
        Params weights;
        try (TrainGraph g = new TrainGraph(cfg, null, 5, 0f, 0, false)) {
            weights = TrainGraph.weightsOnly(g.snapshot());
        }
        // Make the learned part matter: the untrained head is scaled down to stay near bicubic.
        Params.Tensor head = weights.get("head/w");
        float[] w = head.data().clone();
        for (int i = 0; i < w.length; i++) {
            w[i] *= 50;
        }
        weights.put("head/w", new Params.Tensor(head.shape(), w));
        Path sm = tmp.resolve("sm");
        SavedModelExport.export(cfg, weights, sm);
        Npy.Tensor in = new Npy.Tensor(new int[] {1, 64, 64, 3}, new float[64 * 64 * 3]);
        Npy.Tensor out;
        try (LoadedModel m = LoadedModel.load(sm, Device.CPU)) {
            out = new Npy.Tensor(new int[] {1, 128, 128, 1}, m.predict(in.data(), 1, 64, 64, 3).data());
        }
        BundleSpec spec = BundleSpec.builder("mf3", 2, BundleSpec.Modality.FLUO)
                .optAuthors(List.of(new BundleSpec.Author("test", null))).optLicense("CC0-1.0")
                .optCite(List.of(BundleSpec.PSSR)).optInputFrames(3, BundleSpec.FrameAxis.Z).optSizes(64, 64)
                .optTiling(1024, 32).build();
        Path bundleDir = new BundleWriter(spec, sm, in, out).write(tmp.resolve("models"));

        Random r = new Random(1);
        FloatPlane[] planes = new FloatPlane[3];
        for (int z = 0; z < 3; z++) {
            float[] d = new float[80 * 70];
            for (int i = 0; i < d.length; i++) {
                d[i] = r.nextInt(4000);
            }
            planes[z] = new FloatPlane(80, 70, d);
        }
        // Stack B differs from A only in plane 2, by a mirror image: same histogram, same normalisation.
        float[] flipped = new float[80 * 70];
        for (int y = 0; y < 70; y++) {
            for (int x = 0; x < 80; x++) {
                flipped[y * 80 + x] = planes[2].get(79 - x, y);
            }
        }
        Path a = write(tmp.resolve("a.tif"), planes);
        Path b = write(tmp.resolve("b.tif"), new FloatPlane[] {planes[0], planes[1], new FloatPlane(80, 70, flipped)});

        ModelBundle bundle = ModelBundle.open(bundleDir);
        try (BundleModel model = BundleModel.load(bundle, Device.CPU)) {
            Restorer restorer = new Restorer(model, RestoreRequest.defaults().settingsFor(bundle.spec()));
            restorer.restoreFile(a, tmp.resolve("a_out.tif"));
            restorer.restoreFile(b, tmp.resolve("b_out.tif"));
            // The same planes stored as channels (a common mix-up of stack dimensions): a warning that
            // says so, then every channel restored from copies of itself.
            Path c = write(tmp.resolve("c.tif"), planes, true);
            List<String> messages = new java.util.ArrayList<>();
            new Restorer(model, RestoreRequest.defaults().settingsFor(bundle.spec()), new RestoreListener() {
                @Override
                public void message(String text) {
                    messages.add(text);
                }
            }).restoreFile(c, tmp.resolve("c_out.tif"));
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("Warning: the model reads 3 adjacent planes along Z,"
                    + " but c.tif has one there") && m.contains("if its 3 channels are sections or time points")), messages.toString());
            messages.clear();
            new Restorer(model, RestoreRequest.defaults().settingsFor(bundle.spec()), new RestoreListener() {
                @Override
                public void message(String text) {
                    messages.add(text);
                }
            }).restoreFile(a, tmp.resolve("a_again.tif"));
            assertTrue(messages.stream().noneMatch(m -> m.startsWith("Warning")), messages.toString());
        }
        try (ImageJStackSource ra = ImageJStackSource.open(tmp.resolve("a_out.tif"));
                ImageJStackSource rb = ImageJStackSource.open(tmp.resolve("b_out.tif"))) {
            assertEquals(3, ra.slices(), "no plane dropped");
            assertEquals(160, ra.width());
            // Plane 0 sees (1, 0, 1): plane 2 does not enter it.
            assertArrayEquals(ra.readPlane(0, 0, 0).data(), rb.readPlane(0, 0, 0).data(), 1e-4f);
            // Plane 1 sees (0, 1, 2): changing plane 2 changes it.
            double diff = maxDiff(ra.readPlane(0, 1, 0), rb.readPlane(0, 1, 0));
            assertTrue(diff > 1, "centre plane must depend on its neighbour, max diff " + diff);
        }
    }

    private static double maxDiff(FloatPlane p, FloatPlane q) {
        double m = 0;
        for (int i = 0; i < p.data().length; i++) {
            m = Math.max(m, Math.abs(p.data()[i] - q.data()[i]));
        }
        return m;
    }

    private static Path write(Path file, FloatPlane[] planes) throws Exception {
        return write(file, planes, false);
    }

    private static Path write(Path file, FloatPlane[] planes, boolean asChannels) throws Exception {
        int n = planes.length;
        try (TiffStackWriter w = new TiffStackWriter(file, new StackShape(80, 70, asChannels ? n : 1, asChannels ? 1 : n, 1, 16),
                new Calibration(0.1, 0.1, 1, "micron", 0, "sec"), "")) {
            for (int z = 0; z < n; z++) {
                w.writePlane(asChannels ? z : 0, asChannels ? 0 : z, 0, planes[z]);
            }
            w.commit();
        }
        return file;
    }
}
