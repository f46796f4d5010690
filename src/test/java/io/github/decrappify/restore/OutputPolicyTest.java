package io.github.decrappify.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.decrappify.image.BadInputException;
import io.github.decrappify.restore.OutputPolicy.Action;
import io.github.decrappify.restore.OutputPolicy.Existing;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The rules every writer (TIFF file, folder batch, OME-Zarr) applies to an existing output, with their refusals. */
class OutputPolicyTest {

    private static final Path OUT = Path.of("/data/out.tif");
    private static final OutputPolicy KEEP = new OutputPolicy(false, false);
    private static final OutputPolicy SKIP = new OutputPolicy(false, true);
    private static final OutputPolicy REPLACE = new OutputPolicy(true, false);

    @Test
    void nothingThereIsWrittenAndOverwriteReplacesAnything() throws Exception {
        for (OutputPolicy p : new OutputPolicy[] {KEEP, SKIP, REPLACE}) {
            assertEquals(Action.WRITE, p.decide(OUT, Existing.NONE, ""));
        }
        for (Existing e : Existing.values()) {
            assertEquals(Action.WRITE, REPLACE.decide(OUT, e, ""));
            assertEquals(Action.WRITE, new OutputPolicy(true, true).decide(OUT, e, ""));
        }
    }

    @Test
    void aCompleteOutputIsSkippedOnlyWhenAskedAndOtherwiseRefused() throws Exception {
        assertEquals(Action.SKIP, SKIP.decide(OUT, Existing.COMPLETE, ""));
        String kept = "Output /data/out.tif already exists; allow overwriting or skip existing outputs";
        assertEquals(kept, assertThrows(BadInputException.class, () -> KEEP.decide(OUT, Existing.COMPLETE, "")).getMessage());
        assertEquals(kept, assertThrows(BadInputException.class, () -> KEEP.decide(OUT, Existing.UNCHECKED, "")).getMessage());
        // A writer that asks to skip must have looked at what is there.
        assertThrows(IllegalStateException.class, () -> SKIP.decide(OUT, Existing.UNCHECKED, ""));
        assertEquals(true, SKIP.needsToCheck());
        assertEquals(false, KEEP.needsToCheck());
        assertEquals(false, new OutputPolicy(true, true).needsToCheck());
    }

    @Test
    void anUnfinishedRestorationResumesAndADifferentOutputIsRefusedWithItsDifference() throws Exception {
        assertEquals(Action.RESUME, KEEP.decide(OUT, Existing.UNFINISHED, ""));
        assertEquals(Action.RESUME, SKIP.decide(OUT, Existing.UNFINISHED, ""));
        for (OutputPolicy p : new OutputPolicy[] {KEEP, SKIP}) {
            assertEquals("Output /data/out.tif already exists but does not match this input; allow overwriting or choose"
                    + " another output", assertThrows(BadInputException.class,
                            () -> p.decide(OUT, Existing.DIFFERENT, " but does not match this input")).getMessage());
        }
        assertEquals("Output /data/out.tif already exists; allow overwriting or choose another output",
                assertThrows(BadInputException.class, () -> KEEP.decide(OUT, Existing.DIFFERENT, "")).getMessage());
        assertEquals("Skipped in.tif: out.tif already exists", OutputPolicy.skipped(Path.of("/a/in.tif"), OUT));
    }
}
