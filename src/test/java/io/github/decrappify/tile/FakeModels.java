package io.github.decrappify.tile;

import io.github.decrappify.image.FloatPlane;

/**
 * Pure-Java stand-ins for a network, with known receptive fields, for tiling tests. All treat the
 * patch border as a network does ("SAME" zero padding), so a tile's output near its edge differs from
 * the whole image's unless the plan gives it enough context.
 */
public final class FakeModels {

    private FakeModels() {
    }

    public enum Upscale {
        NEAREST, BILINEAR
    }

    /**
     * Sum of all input channels, convolved with an asymmetric (dx-dependent) kernel of the given radius
     * and zero padding, passed through a non-linearity, then upscaled. Receptive radius in LR pixels:
     * {@code radius} for nearest upscaling, {@code radius + 1} for bilinear. With {@code window > 0},
     * adds the mean of the input over the window×window block (aligned to the patch origin) that holds
     * the pixel, imitating windowed attention: its result depends on the patch origin modulo the window.
     */
    /** What every fake shares: its geometry, and a refusal of patches a network of that geometry would refuse. */
    abstract static class Fake implements TileModel {
        final int scale;
        final int multiple;
        final int channels;

        Fake(int scale, int multiple, int channels) {
            this.scale = scale;
            this.multiple = multiple;
            this.channels = channels;
        }

        @Override
        public int scale() {
            return scale;
        }

        @Override
        public int sizeMultiple() {
            return multiple;
        }

        @Override
        public int inputChannels() {
            return channels;
        }

        void check(FloatPlane in) {
            if (in.width() % multiple != 0 || in.height() % multiple != 0 || in.channels() != channels) {
                throw new IllegalArgumentException("bad patch " + in + " for multiple " + multiple + " and "
                        + channels + " channel(s)");
            }
        }
    }

    public static class Conv extends Fake {
        final int radius;
        final Upscale upscale;
        final int window;
        public int calls;

        public Conv(int radius, int scale, int multiple, int channels, Upscale upscale, int window) {
            super(scale, multiple, channels);
            this.radius = radius;
            this.upscale = upscale;
            this.window = window;
        }

        @Override
        public FloatPlane predict(FloatPlane in) {
            calls++;
            check(in);
            int w = in.width(), h = in.height();
            float[] sum = new float[w * h];
            for (int i = 0; i < sum.length; i++) {
                for (int c = 0; c < channels; c++) {
                    sum[i] += in.data()[i * channels + c];
                }
            }
            float[] lr = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int dy = -radius; dy <= radius; dy++) {
                        int yy = y + dy;
                        if (yy < 0 || yy >= h) {
                            continue;
                        }
                        for (int dx = -radius; dx <= radius; dx++) {
                            int xx = x + dx;
                            if (xx < 0 || xx >= w) {
                                continue;
                            }
                            acc += sum[yy * w + xx] * (1.0 + 0.3 * dx) / (1 + dx * dx + dy * dy);
                        }
                    }
                    lr[y * w + x] = (float) (acc / (2 * radius + 1) + 0.1 * Math.sin(acc));
                }
            }
            if (window > 0) {
                addWindowMeans(sum, lr, w, h);
            }
            return upscale(lr, w, h);
        }

        private void addWindowMeans(float[] sum, float[] lr, int w, int h) {
            for (int wy = 0; wy < h; wy += window) {
                for (int wx = 0; wx < w; wx += window) {
                    double mean = 0;
                    int n = 0;
                    for (int y = wy; y < Math.min(h, wy + window); y++) {
                        for (int x = wx; x < Math.min(w, wx + window); x++) {
                            mean += sum[y * w + x];
                            n++;
                        }
                    }
                    mean /= n;
                    for (int y = wy; y < Math.min(h, wy + window); y++) {
                        for (int x = wx; x < Math.min(w, wx + window); x++) {
                            lr[y * w + x] += (float) mean;
                        }
                    }
                }
            }
        }

        private FloatPlane upscale(float[] lr, int w, int h) {
            int s = scale;
            FloatPlane out = FloatPlane.zeros(w * s, h * s, 1);
            for (int Y = 0; Y < h * s; Y++) {
                for (int X = 0; X < w * s; X++) {
                    float v;
                    if (upscale == Upscale.NEAREST || s == 1) {
                        v = lr[(Y / s) * w + X / s];
                    } else {
                        double u = (X + 0.5) / s - 0.5, t = (Y + 0.5) / s - 0.5;
                        int x0 = (int) Math.floor(u), y0 = (int) Math.floor(t);
                        double fx = u - x0, fy = t - y0;
                        int xa = clamp(x0, w), xb = clamp(x0 + 1, w), ya = clamp(y0, h), yb = clamp(y0 + 1, h);
                        v = (float) ((1 - fy) * ((1 - fx) * lr[ya * w + xa] + fx * lr[ya * w + xb])
                                + fy * ((1 - fx) * lr[yb * w + xa] + fx * lr[yb * w + xb]));
                    }
                    out.set(X, Y, v);
                }
            }
            return out;
        }

        private static int clamp(int v, int n) {
            return Math.max(0, Math.min(n - 1, v));
        }
    }

    /** Nearest-neighbour upscaling of one input channel: output(X, Y) = input(X / s, Y / s, channel). */
    public static class Identity extends Fake {
        final int channel;

        public Identity(int scale, int multiple, int channels, int channel) {
            super(scale, multiple, channels);
            this.channel = channel;
        }

        @Override
        public FloatPlane predict(FloatPlane in) {
            check(in);
            FloatPlane out = FloatPlane.zeros(in.width() * scale, in.height() * scale, 1);
            float[] src = in.data();
            float[] dst = out.data();
            int n = in.channels();
            for (int Y = 0; Y < out.height(); Y++) {
                int row = (Y / scale) * in.width();
                int o = Y * out.width();
                for (int X = 0; X < out.width(); X++) {
                    dst[o + X] = src[(row + X / scale) * n + channel];
                }
            }
            return out;
        }
    }
}
