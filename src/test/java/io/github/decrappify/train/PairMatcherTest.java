package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The name-matching rule of real pairs, without any image or TensorFlow. */
class PairMatcherTest {

    private static List<Path> paths(String... names) {
        return java.util.Arrays.stream(names).map(n -> Path.of("d", n)).toList();
    }

    private static List<String> names(List<Path> p) {
        return p.stream().map(x -> x.getFileName().toString()).toList();
    }

    @Test
    void manyNoisyFramesShareTheirFieldsTarget() throws Exception {
        List<Path> targets = paths("fov1_gt_avg50.png", "fov11_gt_avg50.png");
        List<Path> inputs = IntStream.range(0, 3).boxed()
                .flatMap(i -> java.util.stream.Stream.of("fov1_raw" + i + ".png", "fov11_raw" + i + ".png"))
                .map(n -> Path.of("n", n)).toList();
        List<PairMatcher.Match> m = PairMatcher.match(targets, inputs);
        assertEquals(2, m.size());
        assertEquals("fov1_gt_avg50.png", m.get(0).target().getFileName().toString());
        assertEquals(List.of("fov1_raw0.png", "fov1_raw1.png", "fov1_raw2.png"), names(m.get(0).inputs()));
        assertEquals(List.of("fov11_raw0.png", "fov11_raw1.png", "fov11_raw2.png"), names(m.get(1).inputs()),
                "fov1 is a whole name part: fov11 does not pair with fov1");
    }

    @Test
    void sameNameStillPairsAndOutranksAPrefix() throws Exception {
        List<PairMatcher.Match> m = PairMatcher.match(paths("a.tif", "a_b.tif"), paths("a.tif", "a_b.tif"));
        assertEquals(List.of("a.tif"), names(m.get(0).inputs()));
        assertEquals(List.of("a_b.tif"), names(m.get(1).inputs()));
        // another extension is the same name
        assertEquals(List.of("x.png"), names(PairMatcher.match(paths("x.tif"), paths("x.png")).get(0).inputs()));
    }

    @Test
    void theMostSharedLeadingPartsWin() throws Exception {
        List<PairMatcher.Match> m = PairMatcher.match(paths("s_01_clean.tif", "s_02_clean.tif"),
                paths("s_01_noisy.tif", "s_02_noisy.tif", "s-02-noisy2.tif"));
        assertEquals(List.of("s_01_noisy.tif"), names(m.get(0).inputs()));
        assertEquals(List.of("s_02_noisy.tif", "s-02-noisy2.tif"), names(m.get(1).inputs()));
    }

    @Test
    void mismatchedNamesAreOneLineErrorsNamingTheFile() {
        TrainingException none = assertThrows(TrainingException.class,
                () -> PairMatcher.match(paths("fov1_gt.png"), paths("cell_raw0.png")));
        assertEquals("LR cell_raw0.png matches no HR file by name: an LR file pairs with the HR file of the same name or"
                + " sharing the most leading name parts (split at _ - . or space)", none.getMessage());

        TrainingException tie = assertThrows(TrainingException.class,
                () -> PairMatcher.match(paths("s_a_gt.png", "s_b_gt.png"), paths("s_raw.png")));
        assertEquals("LR s_raw.png matches both HR s_a_gt.png and s_b_gt.png equally; rename one so that an LR file pairs"
                + " with the HR file of the same name or sharing the most leading name parts (split at _ - . or space)",
                tie.getMessage());

        TrainingException missing = assertThrows(TrainingException.class,
                () -> PairMatcher.match(paths("s_b_gt.png"), paths("s_a_raw.png", "s_b_raw.png")));
        assertEquals("LR s_a_raw.png and s_b_raw.png both pair with HR s_b_gt.png but through different name prefixes"
                + " ('s' vs 's_b'): add the missing HR file or rename the LR files", missing.getMessage());

        TrainingException lonely = assertThrows(TrainingException.class,
                () -> PairMatcher.match(paths("a_gt.png", "b_gt.png"), paths("a_raw.png")));
        assertEquals("HR b_gt.png has no LR partner: an LR file pairs with the HR file of the same name or sharing the"
                + " most leading name parts (split at _ - . or space); add its LR files or remove it", lonely.getMessage());

        TrainingException twoExact = assertThrows(TrainingException.class,
                () -> PairMatcher.match(paths("a.tif", "a.png"), paths("a.tif")));
        assertEquals(true, twoExact.getMessage().startsWith("LR a.tif matches both HR a.tif and a.png equally"),
                twoExact.getMessage());
    }
}
