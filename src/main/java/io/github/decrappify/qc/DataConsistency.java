package io.github.decrappify.qc;

import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.DownsampleMode;
import io.github.decrappify.crappify.PresetIO;
import io.github.decrappify.crappify.Range;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.model.BundleSpec;
import java.util.Locale;
import java.util.Map;

/**
 * Data-consistency check of a restoration against the LR image it came from, after NanoJ-SQUIRREL
 * (Culley et al., Nature Methods 2018): the restored image is degraded back to the LR grid with the
 * model's own crappifier (its blur and downsampling, without noise), a gain and offset are fitted by
 * least squares to the real LR input, and the difference is the error map. Structure the model invented
 * that the LR data cannot support (a filament, a bright spot, a changed edge where the LR shows none)
 * survives the degradation and stands out in the map.
 *
 * <p>Scores, as SQUIRREL defines them: RSE, the root of the mean squared difference between the LR input
 * and the fitted degraded restoration (in the LR input's units; with pure noise left it approaches the
 * noise's standard deviation), and RSP, the Pearson correlation between the two (1 = consistent).
 * What this cannot see: detail that averages out within one LR pixel (the degradation's null space).
 * Test-time augmentation ({@link TestTimeAugmentation}) is the complementary check there.
 *
 * <pre>{@code
 * DataConsistency qc = DataConsistency.of(bundle.spec());
 * DataConsistency.Result r = qc.check(lr, restored);   // r.errorMap() is LR-sized
 * }</pre>
 */
public final class DataConsistency {

    private final Crappifier degrader;
    private final String source;

    /** Degrades with the blur and downsampling of {@code params} (its noise is ignored). */
    public DataConsistency(CrappifierParams params) {
        this(params, "given crappifier");
    }

    private DataConsistency(CrappifierParams params, String source) {
        this.degrader = new Crappifier(params);
        this.source = source;
    }

    /**
     * With the crappifier recorded in the bundle's {@code rdf.yaml} (config.decrappify.crappifier); a
     * bundle without one (e.g. trained on real pairs elsewhere) is checked with plain area
     * downsampling by its scale, which {@link #describe()} says.
     *
     * @throws IllegalArgumentException if the recorded crappifier is malformed or its scale differs
     */
    public static DataConsistency of(BundleSpec spec) {
        Map<String, Object> recorded = spec.crappifier();
        if (recorded == null || recorded.isEmpty()) {
            return new DataConsistency(new CrappifierParams(spec.scale(), 0, Range.of(Double.POSITIVE_INFINITY),
                    Range.of(0), DownsampleMode.AREA, false), "no crappifier recorded in the bundle: area downsampling");
        }
        CrappifierParams p;
        try {
            p = PresetIO.fromMap(recorded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + spec.name() + ": its crappifier cannot drive the QC map ("
                    + e.getMessage() + ")", e);
        }
        if (p.scale() != spec.scale()) {
            throw new IllegalArgumentException("model " + spec.name() + " has scale " + spec.scale()
                    + " but its crappifier scale " + p.scale());
        }
        return new DataConsistency(p, "the model's crappifier");
    }

    public CrappifierParams degradation() {
        return degrader.params();
    }

    public int scale() {
        return degrader.params().scale();
    }

    /** One line for logs and image info: which degradation was used. */
    public String describe() {
        CrappifierParams p = degrader.params();
        return String.format(Locale.ROOT, "%s (blur sigma %.3g HR px, %s downsampling x%d)", source, p.blurSigma(),
                p.downsample().name().toLowerCase(Locale.ROOT), p.scale());
    }

    /**
     * @param errorMap |LR − (gain · degraded + offset)| on the LR grid, in the LR input's units
     * @param rse      root-mean-square of the difference (same units)
     * @param rsp      Pearson correlation of the LR input and the degraded restoration
     * @param gain     fitted intensity scale of the degraded restoration
     * @param offset   fitted intensity offset
     */
    public record Result(FloatPlane errorMap, double rse, double rsp, double gain, double offset) {
    }

    /** The degraded restoration on the LR grid (before the intensity fit). */
    public FloatPlane degrade(FloatPlane restored) {
        return degrader.degrade(restored);
    }

    /**
     * @param lr       the real LR input (single channel; for a multi-frame model, its centre plane)
     * @param restored the restoration of {@code lr}: {@link #scale()} times its width and height
     * @throws IllegalArgumentException if the sizes do not match
     */
    public Result check(FloatPlane lr, FloatPlane restored) {
        int s = scale();
        if (lr.channels() != 1 || restored.channels() != 1) {
            throw new IllegalArgumentException("QC compares single-channel planes: " + lr + ", " + restored);
        }
        if (restored.width() != lr.width() * s || restored.height() != lr.height() * s) {
            throw new IllegalArgumentException("restored " + restored + " is not " + s + " x the LR " + lr);
        }
        float[] d = degrade(restored).data();
        float[] l = lr.data();
        int n = l.length;
        double ml = 0;
        double md = 0;
        for (int i = 0; i < n; i++) {
            ml += l[i];
            md += d[i];
        }
        ml /= n;
        md /= n;
        double sll = 0;
        double sdd = 0;
        double sld = 0;
        for (int i = 0; i < n; i++) {
            double a = l[i] - ml;
            double b = d[i] - md;
            sll += a * a;
            sdd += b * b;
            sld += a * b;
        }
        // Least-squares gain/offset of the degraded restoration onto the LR input; a flat restoration
        // keeps gain 1 (nothing to fit) and only matches the mean.
        double gain = sdd > 0 ? sld / sdd : 1;
        double offset = ml - gain * md;
        double rsp = sll > 0 && sdd > 0 ? sld / Math.sqrt(sll * sdd) : Double.NaN;
        float[] map = new float[n];
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double e = l[i] - (gain * d[i] + offset);
            sq += e * e;
            map[i] = (float) Math.abs(e);
        }
        return new Result(new FloatPlane(lr.width(), lr.height(), map), Math.sqrt(sq / n), rsp, gain, offset);
    }
}
