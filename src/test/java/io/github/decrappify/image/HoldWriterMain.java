package io.github.decrappify.image;

import java.nio.file.Path;

/** Forked by {@link TiffStackWriterTest}: opens a writer of {@code args[0]}, says so, and waits to be killed. */
public final class HoldWriterMain {

    private HoldWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        TiffStackWriter w = new TiffStackWriter(Path.of(args[0]), new StackShape(64, 64, 1, 4, 1, 32),
                Calibration.UNCALIBRATED, "");
        w.writePlane(0, 0, 0, FloatPlane.zeros(64, 64, 1));
        System.out.println("writing");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
