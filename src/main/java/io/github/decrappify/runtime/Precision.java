package io.github.decrappify.runtime;

import io.github.decrappify.model.BundleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The number format inference computes in. {@link #BF16} keeps the SavedModel as it is and lets
 * TensorFlow's oneDNN auto-mixed-precision rewrite run convolutions and matrix products in bfloat16
 * (inputs, outputs and the rest in fp32); {@link #AUTO} picks it only where it is safe and fast:
 * <ul>
 *   <li>the CPU computes bf16 natively (Linux {@code /proc/cpuinfo} flags {@code avx512_bf16} or
 *       {@code amx_bf16}); elsewhere, and on a GPU, fp32 as before;</li>
 *   <li>the bundle records a bf16 check ({@code config.decrappify.bf16} in rdf.yaml, see
 *       {@link Bf16Measurement}) within {@link #MAX_REL_DIFF} of the output range and, when it measured a
 *       validation image with a truth, within {@link BundleSpec.Bf16Check#MAX_PSNR_CHANGE_DB} of fp32's
 *       PSNR; a bundle without a check, or over a bound, runs in fp32.</li>
 * </ul>
 * <pre>{@code
 * Precision.Choice c = Precision.AUTO.resolve(bundle.spec(), false);
 * // c.precision() == BF16 on an AVX512_BF16 CPU for the bundled models; c.reason() says why
 * }</pre>
 */
public enum Precision {
    AUTO, FP32, BF16;

    /** Largest max |bf16 − fp32| on the test tensor, as a fraction of the fp32 output's range, for {@code auto}. */
    public static final double MAX_REL_DIFF = BundleSpec.Bf16Check.MAX_REL_DIFF;

    private static final Pattern NATIVE_BF16 = Pattern.compile("(?m)^flags\\s*:.*\\b(avx512_bf16|amx_bf16)\\b");

    /** Parses {@code auto|fp32|bf16} (case-insensitive), with an actionable message otherwise. */
    public static Precision parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision must be auto, fp32 or bf16, not '" + text + "'");
        }
    }

    /** The spelling of the command line and of logs: {@code auto}, {@code fp32}, {@code bf16}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this CPU computes bf16 natively (reads {@code /proc/cpuinfo}; false where it is missing). */
    public static boolean cpuHasNativeBf16() {
        try {
            return hasNativeBf16(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code /proc/cpuinfo} text lists {@code avx512_bf16} or {@code amx_bf16} among the flags. */
    static boolean hasNativeBf16(String cpuinfo) {
        return NATIVE_BF16.matcher(cpuinfo).find();
    }

    /** The precision chosen and, in a few words, why (for the restore log and the Fiji image info). */
    public record Choice(Precision precision, String reason) {
        @Override
        public String toString() {
            return precision.label() + " (" + reason + ")";
        }
    }

    /** {@link #resolve(BundleSpec, boolean, boolean)} with the CPU flags of this machine. */
    public Choice resolve(BundleSpec spec, boolean gpu) {
        return resolve(spec, gpu, cpuHasNativeBf16());
    }

    /**
     * The precision this request runs in for {@code spec}.
     *
     * @throws IllegalArgumentException {@code bf16} asked on a GPU (only the CPU path is measured)
     */
    public Choice resolve(BundleSpec spec, boolean gpu, boolean nativeBf16) {
        BundleSpec.Bf16Check check = spec.bf16();
        switch (this) {
            case FP32:
                return new Choice(FP32, "asked");
            case BF16:
                if (gpu) {
                    throw new IllegalArgumentException("--precision bf16 runs on the CPU only; use --device cpu"
                            + " or --precision fp32/auto on a GPU");
                }
                if (!nativeBf16) {
                    return new Choice(BF16, "asked; this CPU has no native bf16, TensorFlow may emulate it slowly or keep fp32");
                }
                if (check == null) {
                    return new Choice(BF16, "asked; the bundle records no bf16 check");
                }
                return new Choice(BF16, check.withinBound() ? "asked" : "asked, although the bundle's bf16 check "
                        + check.problem());
            default:
                if (gpu) {
                    return new Choice(FP32, "GPU");
                }
                if (!nativeBf16) {
                    return new Choice(FP32, "no native bf16 on this CPU");
                }
                if (check == null) {
                    return new Choice(FP32, "the bundle records no bf16 check");
                }
                if (!check.withinBound()) {
                    return new Choice(FP32, "the bundle's bf16 check " + check.problem());
                }
                return new Choice(BF16, "native bf16, bundle check " + percent(check.maxRelDiff()) + " of the range at most"
                        + (check.psnrChangeDb() == null ? ""
                                : String.format(Locale.ROOT, ", PSNR vs truth %+.4f dB", check.psnrChangeDb())));
        }
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2g %%", 100 * fraction);
    }
}
