package io.github.decrappify.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void restoringDividesThePixelSizeOnlyOfCalibratedImages() {
        Calibration nm = new Calibration(4.6, 4.6, 50, "nm", 2, "sec");
        Calibration x4 = nm.scaled(4);
        assertEquals(1.15, x4.pixelWidth(), 1e-12);
        assertEquals(1.15, x4.pixelHeight(), 1e-12);
        assertEquals(50, x4.pixelDepth(), 0);
        assertEquals(2, x4.frameInterval(), 0);
        assertEquals("nm", x4.unit());
        assertSame(Calibration.UNCALIBRATED, Calibration.UNCALIBRATED.scaled(4), "pixels stay pixels");
    }
}
