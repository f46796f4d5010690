package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Resample;
import io.github.decrappify.metrics.Baselines;
import io.github.decrappify.runtime.LoadedModel;

/**
 * The bundle cover, square as bioimage.io asks (2:1 or 1:1): a 2 × 2 grid of HR-sized panels, LR input
 * (nearest-neighbour enlarged) | restored on top, bicubic | HR truth below, so a reader sees the input,
 * the result, the baseline and the truth at one glance. Panels are about 256 px wide: the LR crop is one
 * or more 64 px grid cells (the LR needs at least 64 px per side).
 */
public record CoverImage(int[] rgb, int width, int height) {

    static final int GAP = 4;
    private static final int GRID = 64;
    private static final int PANEL = 256;

    public static CoverImage of(LoadedModel model, TrainingPair pair, int scale) {
        FloatPlane lr = pair.lr();
        int size = Math.max(GRID, PANEL / scale / GRID * GRID);
        size = Math.min(size, Math.max(GRID, Math.min(lr.width(), lr.height()) / GRID * GRID));
        FloatPlane crop = Crops.crop(lr, 0, 0, Math.min(size, lr.width()), Math.min(size, lr.height()));
        LoadedModel.Output out = model.predict(crop.data(), 1, crop.height(), crop.width(), crop.channels());
        int w = crop.width() * scale;
        int h = crop.height() * scale;
        FloatPlane pred = new FloatPlane(w, h, out.data());
        FloatPlane truth = Crops.crop(pair.hr().channels() == 1 ? pair.hr() : pair.hr().channel(pair.hr().channels() / 2),
                0, 0, w, h);
        FloatPlane centre = crop.channels() == 1 ? crop : crop.channel(crop.channels() / 2);
        FloatPlane big = scale == 1 ? centre : Resample.nearest(centre, w, h);
        FloatPlane bicubic = scale == 1 ? centre : Baselines.bicubic(centre, scale);
        return grid(new FloatPlane[] {big, pred, bicubic, truth}, w, h);
    }

    /** Four {@code w × h} panels (values 0..1 shown as gray) in a 2 × 2 grid, row by row, white gaps. */
    static CoverImage grid(FloatPlane[] panels, int w, int h) {
        int width = 2 * w + GAP;
        int height = 2 * h + GAP;
        int[] rgb = new int[width * height];
        java.util.Arrays.fill(rgb, 0xFFFFFF);
        for (int k = 0; k < 4; k++) {
            int x0 = (k % 2) * (w + GAP);
            int y0 = (k / 2) * (h + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = (int) Math.round(255 * Math.max(0, Math.min(1, panels[k].get(x, y))));
                    rgb[(y0 + y) * width + x0 + x] = (v << 16) | (v << 8) | v;
                }
            }
        }
        return new CoverImage(rgb, width, height);
    }
}
