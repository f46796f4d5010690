package io.github.decrappify.tile;

/** A half-open range of pixel positions along one axis, {@code [start, end)}. */
public record Span(int start, int end) {

    public Span {
        if (end < start) {
            throw new IllegalArgumentException("span end " + end + " before start " + start);
        }
    }

    public int length() {
        return end - start;
    }

    public boolean contains(int position) {
        return position >= start && position < end;
    }
}
