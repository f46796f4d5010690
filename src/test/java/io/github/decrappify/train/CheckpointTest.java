package io.github.decrappify.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.decrappify.net.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static Params params(float v) {
        Params p = new Params();
        p.put("conv/w", new Params.Tensor(new long[] {2, 3}, new float[] {v, 1, 2, 3, 4, 5}));
        return p;
    }

    @Test
    void bestWeightsRoundTripWithTheCheckpoint(@TempDir Path dir) throws Exception {
        new Checkpoint(40, params(7), Map.of("steps", "100"), List.of("0,,,,,1.0,0.5"),
                new Checkpoint.Best(30, 21.5, 0.61, params(-2))).write(dir);
        Checkpoint ck = Checkpoint.read(dir);
        assertEquals(40, ck.step());
        assertEquals(30, ck.best().step());
        assertEquals(21.5, ck.best().psnr(), 0);
        assertEquals(0.61, ck.best().ssim(), 0);
        assertArrayEquals(new float[] {-2, 1, 2, 3, 4, 5}, ck.best().weights().get("conv/w").data(), 0f);
        assertArrayEquals(new float[] {7, 1, 2, 3, 4, 5}, ck.state().get("conv/w").data(), 0f);
    }

    /** Checkpoints written before the best-weights section existed (runs in progress) still resume. */
    @Test
    void aCheckpointWithoutTheBestSectionReadsAsNoBest(@TempDir Path dir) throws Exception {
        new Checkpoint(12, params(3), Map.of("steps", "100"), List.of("1,0.1,0.1,0.9,1e-4,,")).write(dir);
        Path file = dir.resolve(Checkpoint.FILE);
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, b.length - 4)); // drop the trailing "no best" flag: the old layout
        Checkpoint ck = Checkpoint.read(dir);
        assertNull(ck.best());
        assertEquals(12, ck.step());
        assertEquals(List.of("1,0.1,0.1,0.9,1e-4,,"), ck.history());
        assertArrayEquals(new float[] {3, 1, 2, 3, 4, 5}, ck.state().get("conv/w").data(), 0f);
    }
}
