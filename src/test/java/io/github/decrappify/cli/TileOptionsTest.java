package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 16 item 3: --tile and --overlap declared once, with one meaning, and --help names the bundle's halo. */
class TileOptionsTest {

    @Test
    void helpSaysTileZeroIsTheBundlesAndOverlapIsItsHalo() {
        String help = new CommandLine(new RestoreCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
        assertTrue(help.contains("(default, and 0: the bundle's tile)"), help);
        assertTrue(help.contains("the bundle's 'halo' under another name"), help);
    }

    @Test
    void valuesAreCheckedAndAbsentIsTheBundles() {
        TileOptions t = new TileOptions();
        assertNull(t.tile());
        assertNull(t.overlap());
        t.tile = 0;
        t.overlap = 0;
        assertEquals(0, t.tile());
        assertEquals(0, t.overlap());
        t.tile = -1;
        assertEquals("--tile must be from 0 to 65536, not -1", assertThrows(BadOptionException.class, t::tile).getMessage());
        t.overlap = 5000;
        assertEquals("--overlap must be from 0 to 4096, not 5000",
                assertThrows(BadOptionException.class, t::overlap).getMessage());
    }
}
