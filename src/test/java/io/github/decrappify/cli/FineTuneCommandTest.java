package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.model.BioimageIoSchema;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Resample;
import io.github.decrappify.model.Checksums;
import io.github.decrappify.train.nogan.NoGanFixtures;
import io.github.decrappify.train.nogan.NoGanTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code decrappify finetune} end to end on small real images, and its one-line errors for bad input. */
class FineTuneCommandTest {

    @TempDir
    static Path shared;
    static Path base;
    static Path hr;

    /** Small budgets and networks so that a whole run takes seconds. */
    static final List<String> SMALL = List.of("--quick", "--patch", "16", "--batch", "4", "--critic-width", "4",
            "--critic-levels", "2", "--pretrain-steps", "6", "--critic-steps", "6", "--gan-steps", "8",
            "--gan-validate-every", "2", "--device", "cpu", "--threads", "1", "--log-every", "2");

    @BeforeAll
    static void setUp() throws Exception {
        base = NoGanFixtures.tinyBase(shared.resolve("models"), "tiny");
        hr = NoGanFixtures.emFolder(shared.resolve("hr"), 5, 96);
    }

    static Cli.Result finetune(String... args) {
        List<String> all = new ArrayList<>(List.of("finetune"));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    static Cli.Result small(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(SMALL);
        return finetune(all.toArray(String[]::new));
    }

    static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Checksums.sha256(p));
            }
        }
        return m;
    }

    @Test
    void helpDescribesTheRecipe() {
        Cli.Result r = finetune("--help").assertSuccess();
        for (String s : List.of("NoGAN", "--alpha", "--quick", "--critic-threshold", "--ragan", "--self-supervised",
                "--feature-net", "--resume", "default 0.65")) {
            assertTrue(r.out().contains(s), s);
        }
    }

    @Test
    void quickRunWritesABundleThatRestores(@TempDir Path out) throws Exception {
        Path bundle = out.resolve("tiny-ft");
        Cli.Result r = small("-m", base.toString(), "--hr", hr.toString(), "-o", bundle.toString()).assertSuccessWithLog();
        for (String s : List.of("== critic-0", "== pretrain", "== gan-1", "pretrain validation at step", "Base model on the",
                "Model bundle written to")) {
            assertTrue(r.err().contains(s), s + " in:\n" + r.err());
        }
        String rdf = Files.readString(bundle.resolve("rdf.yaml"));
        assertTrue(rdf.contains("command: bin/decrappify finetune -m "), "command recorded once, as typed");
        BioimageIoSchema.assertValid(bundle);
        Path work = out.resolve("tiny-ft.work");
        assertTrue(Files.readAllLines(work.resolve(NoGanTrainer.LOG)).size() > 20);
        assertTrue(Files.readString(work.resolve(NoGanTrainer.SUMMARY)).contains("\"done\": true"));
        ImagePlus lr = new ImagePlus("lr", NoGanFixtures.em());
        Path in = out.resolve("lr.tif");
        IJ.saveAsTiff(lr, in.toString());
        Cli.run("restore", "-m", bundle.toString(), "-i", in.toString(), "-o", out.resolve("x2.tif").toString(), "--device",
                "cpu").assertSuccessWithLog();
        assertEquals(512, IJ.openImage(out.resolve("x2.tif").toString()).getWidth());
        // The same output again is refused unless --overwrite.
        small("-m", base.toString(), "--hr", hr.toString(), "-o", bundle.toString()).assertFailure("already exists", "allow overwriting");
    }

    @Test
    void badInputFailsWithOneLineAndLeavesTheBaseModelAlone(@TempDir Path out) throws Exception {
        Map<String, String> before = hashes(base);
        Path empty = Files.createDirectories(out.resolve("empty"));
        small("-m", base.toString(), "--hr", empty.toString(), "-o", out.resolve("a").toString()).assertFailureAfterLog("no images");
        small("-m", base.toString(), "--hr", hr.toString(), "-o", base.toString()).assertFailure("would overwrite the base model");
        small("-m", "no-such-model", "--hr", hr.toString(), "-o", out.resolve("b").toString()).assertFailure("unknown model");

        // Pairs: a missing partner, then LR of the wrong scale.
        Path lr = Files.createDirectories(out.resolve("lr"));
        try (Stream<Path> s = Files.list(hr)) {
            for (Path f : s.toList()) {
                ImagePlus h = IJ.openImage(f.toString());
                FloatPlane p = new FloatPlane(h.getWidth(), h.getHeight(), (float[]) h.getProcessor().convertToFloatProcessor().getPixels());
                FloatPlane l = Resample.areaDown(p, 4);
                IJ.saveAsTiff(new ImagePlus("l", new ij.process.FloatProcessor(l.width(), l.height(), l.data())),
                        lr.resolve(f.getFileName()).toString());
            }
        }
        small("-m", base.toString(), "--hr", hr.toString(), "--lr", lr.toString(), "-o", out.resolve("c").toString())
                .assertFailureAfterLog("ratio of 4.00", "2 times smaller");
        Files.delete(lr.resolve("em0.tif"));
        small("-m", base.toString(), "--hr", hr.toString(), "--lr", lr.toString(), "-o", out.resolve("d").toString())
                .assertFailureAfterLog("em0.tif has no LR partner");

        Map<String, Object> cfg = NoGanFixtures.tinyTrainingConfig();
        cfg.put("architecture", "rcan");
        Path other = NoGanFixtures.tinyBase(out.resolve("others"), "rcan-like", cfg);
        small("-m", other.toString(), "--hr", hr.toString(), "-o", out.resolve("e").toString())
                .assertFailure("cannot be fine-tuned", "rcan");
        small("-m", base.toString(), "--hr", hr.toString(), "-o", out.resolve("f").toString(), "--drift", "sideways")
                .assertFailure("--drift");
        small("-m", base.toString(), "--hr", hr.toString(), "-o", out.resolve("my model").toString())
                .assertFailure("model name", "'my model'");
        assertEquals(before, hashes(base), "base model files unchanged");
        for (String name : List.of("a", "c", "d", "e", "f", "my model", "my model.work")) {
            assertFalse(Files.exists(out.resolve(name)), name + " must not be written");
        }
    }
}
