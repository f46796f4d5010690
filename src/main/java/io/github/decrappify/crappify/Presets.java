package io.github.decrappify.crappify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Built-in degradation presets, for planes normalised to [0, 1]. Starting points: fit the noise of
 * real LR data with {@link NoiseFit} when some is available.
 */
public final class Presets {

    public static final String EM = "em";
    public static final String FLUO = "fluo";

    private Presets() {
    }

    /**
     * Serial-section TEM/SEM (PSSR's EM model: noise after area downsampling, no extra blur because the
     * HR pixel already matches the beam). Peak 15..150 photons at full scale (shot SNR at mid-grey
     * from ~2.7 to ~8.7, the span of fast vs slow scans); read noise 0.005..0.03, i.e. about 1 to 8
     * grey levels of an 8-bit image.
     */
    public static CrappifierParams em(int scale) {
        return new CrappifierParams(scale, 0, new Range(15, 150), new Range(0.005, 0.03), DownsampleMode.AREA, true);
    }

    /**
     * Widefield/confocal fluorescence: PSF blur of {@code scale / 2} HR px (none at scale 1: a denoiser should not learn to deblur; an LR pixel at about Nyquist
     * of the optics), strong shot noise (peak 5..100 photons, typical of fast low-light imaging) and
     * small read noise 0.002..0.02 (sCMOS/PMT offset noise after normalisation).
     */
    public static CrappifierParams fluo(int scale) {
        return new CrappifierParams(scale, scale == 1 ? 0 : scale / 2.0, new Range(5, 100), new Range(0.002, 0.02), DownsampleMode.AREA,
                true);
    }

    public static List<String> names() {
        return List.of(EM, FLUO);
    }

    /** The preset called {@code name} (case-insensitive) at the given scale. */
    public static CrappifierParams named(String name, int scale) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case EM -> em(scale);
            case FLUO -> fluo(scale);
            default -> throw new IllegalArgumentException("unknown preset '" + name + "', known: " + names());
        };
    }

    /**
     * A built-in preset by name, or a preset file (as written by {@code crappify --fit}) when
     * {@code nameOrFile} ends in {@code .yaml}/{@code .yml} or names an existing file; the scale given
     * here replaces the file's.
     */
    /**
     * As {@link #resolve(String, int)}, with {@code scale} {@code null} meaning the preset file's own scale
     * (4 for a built-in preset), as {@code crappify --help} promises.
     */
    public static CrappifierParams resolveOwnScale(String nameOrFile, Integer scale) throws IOException {
        Path file = Path.of(nameOrFile);
        if (scale == null && (nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml") || Files.isRegularFile(file))) {
            return PresetIO.read(file);
        }
        return resolve(nameOrFile, scale != null ? scale : 4);
    }

    public static CrappifierParams resolve(String nameOrFile, int scale) throws IOException {
        Path file = Path.of(nameOrFile);
        if (nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml") || Files.isRegularFile(file)) {
            return PresetIO.read(file).withScale(scale);
        }
        return named(nameOrFile, scale);
    }
}
