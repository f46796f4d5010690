package io.github.decrappify.model;

import io.github.decrappify.model.BundleSpec.Author;
import io.github.decrappify.model.BundleSpec.Modality;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A real, valid bundle of the tiny doubling model, and its files as a mutable map for hostile variants. */
final class Bundles {

    static final String NAME = "tiny";

    private Bundles() {}

    static BundleSpec spec() {
        return BundleSpec.builder(NAME, 1, Modality.FLUO)
                .optDescription("Doubles its input; for tests")
                .optAuthors(List.of(new Author("Test Author", null)))
                .optLicense("BSD-2-Clause")
                .optSizes(16, 16)
                .optTiling(64, 8)
                .optTraining(Map.of("steps", 0, "seed", 1))
                .build();
    }

    static Npy.Tensor testInput() {
        float[] data = new float[32 * 16];
        for (int i = 0; i < data.length; i++) {
            data[i] = i / 100f;
        }
        return new Npy.Tensor(new int[] {1, 32, 16, 1}, data);
    }

    static Npy.Tensor testOutput() {
        float[] data = testInput().data();
        for (int i = 0; i < data.length; i++) {
            data[i] *= TinyModels.GAIN;
        }
        return new Npy.Tensor(new int[] {1, 32, 16, 1}, data);
    }

    /** Exports the tiny model and writes its bundle folder under {@code work/out}. */
    static Path write(Path work) throws Exception {
        Path savedModel = TinyModels.exportDoubler(work.resolve("savedmodel"));
        return new BundleWriter(spec(), savedModel, testInput(), testOutput())
                .optModelCard("# tiny\n\nDoubles.\n")
                .optCover(new int[] {0xff0000, 0x00ff00, 0x0000ff, 0xffffff}, 2, 2)
                .write(work.resolve("out"));
    }

    /** The bundle folder's files, name → bytes, in a stable order. */
    static Map<String, byte[]> files(Path bundleDir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(bundleDir)) {
            for (Path p : (Iterable<Path>) list.sorted()::iterator) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
