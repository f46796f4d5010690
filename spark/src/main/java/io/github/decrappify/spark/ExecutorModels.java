package io.github.decrappify.spark;

import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.tile.TileModel;
import java.util.HashMap;
import java.util.Map;

/**
 * The models loaded in this JVM, one per {@link ModelSource#key()}: an executor loads a model for its
 * first task and every later task reuses it (loading TensorFlow and a SavedModel costs about a second,
 * a block a fraction of that on a GPU).
 *
 * <p>A JVM-wide cache is Spark's idiom for per-executor resources (a broadcast variable cannot hold
 * native handles). Tasks running concurrently in one executor share the model through a lock: one
 * TensorFlow session already uses every core of the executor (or its GPU), and a second copy would
 * double the memory for little gain; reading, normalising and writing still overlap between tasks.
 */
public final class ExecutorModels {

    private static final Map<String, TileModel> MODELS = new HashMap<>();
    private static final Map<String, Integer> LOADS = new HashMap<>();

    private ExecutorModels() {
    }

    /** The model of {@code source}, loaded on first use in this JVM. */
    public static TileModel get(ModelSource source) throws Exception {
        synchronized (MODELS) {
            TileModel m = MODELS.get(source.key());
            if (m == null) {
                m = new Locked(source.load());
                MODELS.put(source.key(), m);
                LOADS.merge(source.key(), 1, Integer::sum);
            }
            return m;
        }
    }

    /** How many models this JVM has loaded (tests check that executors reuse them). */
    public static int loads() {
        synchronized (MODELS) {
            return LOADS.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** How many times this JVM has loaded the model of {@code key}: 1 once used, never more. */
    public static int loads(String key) {
        synchronized (MODELS) {
            return LOADS.getOrDefault(key, 0);
        }
    }

    /** Serialises predictions of a shared model; geometry passes through. */
    private static final class Locked implements TileModel {
        private final TileModel model;

        Locked(TileModel model) {
            this.model = model;
        }

        @Override
        public int scale() {
            return model.scale();
        }

        @Override
        public int sizeMultiple() {
            return model.sizeMultiple();
        }

        @Override
        public int inputChannels() {
            return model.inputChannels();
        }

        @Override
        public int minimumSize() {
            return model.minimumSize();
        }

        @Override
        public String name() {
            return model.name();
        }

        @Override
        public FloatPlane predict(FloatPlane input) {
            synchronized (this) {
                return model.predict(input);
            }
        }
    }
}
