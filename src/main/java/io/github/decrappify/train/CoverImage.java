package io.github.decrappify.train;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ops.Resample;
import io.github.decrappify.runtime.LoadedModel;

/**
 * The bundle cover: LR input (nearest-neighbour enlarged) | restored | HR truth, side by side. The LR
 * needs at least 64 px per side.
 */
public record CoverImage(int[] rgb, int width, int height) {

    public static CoverImage of(LoadedModel model, TrainingPair pair, int scale) {
        FloatPlane lr = pair.lr();
        int size = Math.min(128, Math.min(lr.width(), lr.height()));
        int grid = 64;
        size = Math.max(grid, size / grid * grid);
        FloatPlane crop = Crops.crop(lr, 0, 0, Math.min(size, lr.width()), Math.min(size, lr.height()));
        LoadedModel.Output out = model.predict(crop.data(), 1, crop.height(), crop.width(), crop.channels());
        int w = crop.width() * scale;
        int h = crop.height() * scale;
        FloatPlane pred = new FloatPlane(w, h, out.data());
        FloatPlane truth = Crops.crop(pair.hr().channels() == 1 ? pair.hr() : pair.hr().channel(pair.hr().channels() / 2),
                0, 0, w, h);
        FloatPlane centre = crop.channels() == 1 ? crop : crop.channel(crop.channels() / 2);
        FloatPlane big = scale == 1 ? centre : Resample.nearest(centre, w, h);
        FloatPlane[] panels = {big, pred, truth};
        int gap = 4;
        int width = 3 * w + 2 * gap;
        int[] rgb = new int[width * h];
        java.util.Arrays.fill(rgb, 0xFFFFFF);
        for (int k = 0; k < 3; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = (int) Math.round(255 * Math.max(0, Math.min(1, panels[k].get(x, y))));
                    rgb[y * width + k * (w + gap) + x] = (v << 16) | (v << 8) | v;
                }
            }
        }
        return new CoverImage(rgb, width, h);
    }
}
