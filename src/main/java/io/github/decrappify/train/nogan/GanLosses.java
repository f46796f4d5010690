package io.github.decrappify.train.nogan;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adversarial, feature and reconstruction losses as graph ops. Binary cross-entropy is written with
 * softplus ({@code -log σ(x) = softplus(-x)}), which is stable for large logits and has a gradient
 * TF derives correctly here (design.md warns that {@code logSoftmax}'s does not). Logits are patch
 * maps {@code [N, h, w, 1]}; means run over every patch of the batch.
 */
public final class GanLosses {
    private GanLosses() {}

    static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
        return tf.math.mean(x, tf.constant(new int[] {0, 1, 2, 3}));
    }

    /** {@code -log σ(x)} averaged: the loss of calling {@code x} real. */
    static Operand<TFloat32> real(Ops tf, Operand<TFloat32> logits) {
        return mean(tf, tf.math.softplus(tf.math.neg(logits)));
    }

    /** {@code -log(1 - σ(x))} averaged: the loss of calling {@code x} fake. */
    static Operand<TFloat32> fake(Ops tf, Operand<TFloat32> logits) {
        return mean(tf, tf.math.softplus(logits));
    }

    /**
     * Critic loss, averaged over the real and the fake half (so chance level is ln 2 ≈ 0.693, the scale
     * of DeOldify's critic threshold 0.65). Relativistic average (RaGAN, as ESRGAN): a real patch must
     * look more real than the average fake and vice versa.
     */
    public static Operand<TFloat32> critic(Ops tf, Operand<TFloat32> real, Operand<TFloat32> fake, boolean relativistic) {
        if (relativistic) {
            return tf.math.mul(tf.constant(0.5f), tf.math.add(real(tf, tf.math.sub(real, mean(tf, fake))),
                    fake(tf, tf.math.sub(fake, mean(tf, real)))));
        }
        return tf.math.mul(tf.constant(0.5f), tf.math.add(real(tf, real), fake(tf, fake)));
    }

    /**
     * The generator's adversarial loss: non-saturating ({@code -log σ(D(G))}), or the relativistic
     * average form with the roles of real and generated swapped. {@code real} only matters for RaGAN.
     */
    public static Operand<TFloat32> adversarial(Ops tf, Operand<TFloat32> real, Operand<TFloat32> generated,
            boolean relativistic) {
        if (relativistic) {
            return tf.math.mul(tf.constant(0.5f), tf.math.add(fake(tf, tf.math.sub(real, mean(tf, generated))),
                    real(tf, tf.math.sub(generated, mean(tf, real)))));
        }
        return real(tf, generated);
    }

    /** {@code Σ_l w_l · mean |a_l − b_l|} over the layers with a non-zero weight. */
    public static Operand<TFloat32> features(Ops tf, List<Operand<TFloat32>> a, List<Operand<TFloat32>> b, float[] weights) {
        Operand<TFloat32> sum = tf.constant(0f);
        for (int l = 0; l < Math.min(weights.length, a.size()); l++) {
            if (weights[l] != 0) {
                sum = tf.math.add(sum, tf.math.mul(tf.constant(weights[l]), mean(tf, tf.math.abs(tf.math.sub(a.get(l), b.get(l))))));
            }
        }
        return sum;
    }

    /** Half-resolution target of the reconstruction heads: 2×2 average pooling. */
    public static Operand<TFloat32> halfSize(Ops tf, Operand<TFloat32> x) {
        return tf.nn.avgPool(x, List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID");
    }

    /** Mean absolute reconstruction error against {@link #halfSize} of {@code x}. */
    public static Operand<TFloat32> reconstruction(Ops tf, Operand<TFloat32> rec, Operand<TFloat32> x) {
        return mean(tf, tf.math.abs(tf.math.sub(rec, halfSize(tf, x))));
    }

    /** Mean logit per image {@code [N]}: the critic's verdict on each whole patch. */
    public static Operand<TFloat32> perImage(Ops tf, Operand<TFloat32> logits) {
        return tf.math.mean(logits, tf.constant(new int[] {1, 2, 3}));
    }
}
