package io.github.decrappify.net;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Named float tensors (weights, optimiser slots) held in Java, in insertion order. */
public final class Params {

    /** A dense float tensor: shape plus row-major values. */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
            }
        }

        public static Tensor zeros(long... shape) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return new Tensor(shape, new float[(int) n]);
        }

        /** He-normal initialisation for a conv kernel {@code [kh, kw, in, out]}, scaled by {@code gain}. */
        public static Tensor heNormal(Random rng, double gain, long kh, long kw, long in, long out) {
            double std = gain * Math.sqrt(2.0 / (kh * kw * in));
            float[] v = new float[(int) (kh * kw * in * out)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rng.nextGaussian() * std);
            }
            return new Tensor(new long[] {kh, kw, in, out}, v);
        }

        public long size() {
            return data.length;
        }
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    public void put(String name, Tensor t) {
        tensors.put(name, t);
    }

    public Tensor get(String name) {
        return tensors.get(name);
    }

    public Map<String, Tensor> asMap() {
        return tensors;
    }

    public long count() {
        return tensors.values().stream().mapToLong(Tensor::size).sum();
    }
}
