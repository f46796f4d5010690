package io.github.decrappify.train;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The pixel term of the generator loss. L1 learns the conditional median of the truth given the input
 * and keeps edges; L2 (mean squared error) learns the conditional mean, which is what PSNR rewards:
 * where the input cannot decide between several truths (fine texture under heavy noise) the mean is
 * the lower-error answer.
 */
public enum PixelLoss {
    L1("l1"),
    L2("mse");

    private final String column;

    PixelLoss(String column) {
        this.column = column;
    }

    /** Name of the term in progress lines, the CSV history and {@link StepEvent#values()}. */
    public String column() {
        return column;
    }

    /** The option value: {@code l1} or {@code l2}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    Operand<TFloat32> build(Ops tf, Operand<TFloat32> pred, Operand<TFloat32> target) {
        return this == L1 ? Losses.l1(tf, pred, target) : Losses.l2(tf, pred, target);
    }

    /** Parses an option value; the message names the accepted values. */
    public static PixelLoss parse(String s) {
        for (PixelLoss l : values()) {
            if (l.key().equalsIgnoreCase(s.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("loss must be l1 or l2, not '" + s + "'");
    }
}
