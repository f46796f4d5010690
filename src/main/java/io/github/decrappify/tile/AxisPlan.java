package io.github.decrappify.tile;

import java.util.ArrayList;
import java.util.List;

/**
 * Tiling of one axis of length {@code length}: cores partitioning {@code [0, length)}, read spans on the
 * canvas {@code [0, canvas)} aligned to the size multiple, and blending weights across core boundaries.
 * See {@link TilePlan} for the rules; a 2D plan is the product of two axis plans.
 */
final class AxisPlan {

    private final List<Span> cores = new ArrayList<>();
    private final List<Span> reads = new ArrayList<>();
    private final int blend;

    AxisPlan(int length, int canvas, int tile, int overlap, int blend, int multiple) {
        if (tile == 0 || tile >= canvas) {
            cores.add(new Span(0, length));
            reads.add(new Span(0, canvas));
            this.blend = 0;
            return;
        }
        // Bands of neighbouring boundaries must not overlap, or weights would not sum to one.
        this.blend = Math.min(blend, tile / 2);
        int n = (length + tile - 1) / tile;
        for (int k = 0; k < n; k++) {
            int start = k * tile;
            int end = Math.min(length, start + tile);
            cores.add(new Span(start, end));
            int readStart = k == 0 ? 0 : Math.max(0, floor(start - this.blend - overlap, multiple));
            int readEnd = k == n - 1 ? canvas : Math.min(canvas, ceil(end + this.blend + overlap, multiple));
            reads.add(new Span(readStart, readEnd));
        }
    }

    static int ceil(int value, int multiple) {
        return Math.floorDiv(value + multiple - 1, multiple) * multiple;
    }

    static int floor(int value, int multiple) {
        return Math.floorDiv(value, multiple) * multiple;
    }

    int count() {
        return cores.size();
    }

    Span core(int k) {
        return cores.get(k);
    }

    Span read(int k) {
        return reads.get(k);
    }

    int blend() {
        return blend;
    }

    /**
     * Weight of segment {@code k} at continuous position {@code x} (pixel i's centre is i + 0.5):
     * 1 inside its core, a raised-cosine ramp across ±blend around each inner core boundary, 0 beyond.
     * The weights of all segments sum to 1 everywhere.
     */
    double weight(int k, double x) {
        double w = 1;
        if (k > 0) {
            w *= 1 - falling(cores.get(k).start(), x);
        }
        if (k < cores.size() - 1) {
            w *= falling(cores.get(k).end(), x);
        }
        return w;
    }

    /** 1 left of the band around {@code boundary}, 0 right of it, cosine in between. */
    private double falling(int boundary, double x) {
        if (blend == 0) {
            return x < boundary ? 1 : 0;
        }
        double u = (x - (boundary - blend)) / (2.0 * blend);
        if (u <= 0) {
            return 1;
        }
        if (u >= 1) {
            return 0;
        }
        return 0.5 * (1 + Math.cos(Math.PI * u));
    }
}
