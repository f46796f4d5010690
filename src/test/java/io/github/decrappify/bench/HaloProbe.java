package io.github.decrappify.bench;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.net.SavedModelExport;
import io.github.decrappify.net.UNetConfig;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.LoadedModel;
import io.github.decrappify.tile.TileModel;
import io.github.decrappify.train.Checkpoint;
import io.github.decrappify.train.TrainGraph;
import java.nio.file.Files;
import java.nio.file.Path;

/** Manual probe: halo scan of a training checkpoint (args: work dir, scale, shared dir). */
public class HaloProbe {
    public static void main(String[] a) throws Exception {
        io.github.decrappify.runtime.TensorFlowNatives.prepare(Device.CPU);
        int scale = Integer.parseInt(a[1]);
        Checkpoint ck = Checkpoint.read(Path.of(a[0]));
        Path dir = Files.createTempDirectory("halo").resolve("sm");
        SavedModelExport.export(UNetConfig.unetS(scale, 1), TrainGraph.weightsOnly(ck.state()), dir);
        try (LoadedModel m = LoadedModel.load(dir, Device.CPU)) {
            TileModel tm = new TileModel() {
                public int scale() { return scale; }
                public int sizeMultiple() { return 64; }
                public int inputChannels() { return 1; }
                public FloatPlane predict(FloatPlane in) {
                    return new FloatPlane(in.width() * scale, in.height() * scale, m.predict(in.data(), 1, in.height(), in.width(), 1).data());
                }
            };
            BenchInput input = BenchInput.load(Path.of(a[2]));
            FloatPlane lr = input.planes.get(0);
            double[] r = io.github.decrappify.image.ops.Percentiles.range(lr.data(), 1, 99.8);
            System.out.println("step " + ck.step() + " " + Benchmarks.haloScan(tm, io.github.decrappify.image.ops.Percentiles.affine(lr, r[0], r[1])));
        }
    }
}
