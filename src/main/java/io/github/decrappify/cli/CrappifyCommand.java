package io.github.decrappify.cli;

import ij.IJ;
import ij.ImagePlus;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifyImages;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.NoiseFit;
import io.github.decrappify.crappify.PresetIO;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.crappify.Range;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.train.TrainingImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code decrappify crappify}: synthesise LR images from HR ones, or fit a preset to real LR images. */
@Command(name = "crappify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Degrade HR images into realistic LR images (blur, downsampling, Poisson + Gaussian noise),",
                "or with --fit estimate a preset's noise from a folder of real LR acquisitions."})
public final class CrappifyCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "em", paramLabel = "em|fluo|FILE.yaml", description = "Preset (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--scale", description = "Downsampling factor (default: the preset's, 4 for built-in presets).")
    Integer scale;

    @Option(names = {"-i", "--input"}, paramLabel = "HR", description = "HR image file or folder.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "LR|PRESET.yaml",
            description = "LR output file or folder; with --fit the preset file to write.")
    Path output;

    @Option(names = "--seed", defaultValue = "0", description = "Noise seed (default ${DEFAULT-VALUE}); same seed, same output.")
    long seed;

    @Option(names = "--level", defaultValue = "typical", paramLabel = "typical|random",
            description = "Noise level: the preset's typical level or one drawn from its ranges (default ${DEFAULT-VALUE}).")
    String level;

    @Option(names = "--fit", paramLabel = "LR_DIR", description = "Estimate the noise (variance vs intensity) of real LR images.")
    Path fit;

    @Option(names = "--overwrite", description = "Replace existing outputs.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        int s = scale != null ? scale : 4;
        CrappifierParams params = Presets.resolve(preset, s);
        if (fit != null) {
            return fit(params);
        }
        if (input == null) {
            throw new IllegalArgumentException("give -i HR (file or folder) or --fit LR_DIR");
        }
        Crappifier c = new Crappifier(params);
        List<Path> files = TrainingImages.list(List.of(input));
        boolean folder = Files.isDirectory(input);
        if (folder) {
            Files.createDirectories(output);
        }
        int i = 0;
        for (Path f : files) {
            Path out = folder ? output.resolve(stem(f) + ".tif") : output;
            if (Files.exists(out) && !overwrite) {
                throw new IOException(out + " exists; use --overwrite to replace it");
            }
            write(crappify(c, f, new Random(seed + i++)), out);
            System.out.println(f + " -> " + out);
        }
        return 0;
    }

    private ImagePlus crappify(Crappifier c, Path f, Random rng) throws IOException {
        ImagePlus imp = IJ.openImage(f.toString());
        if (imp == null) {
            throw new IOException("cannot open " + f);
        }
        return CrappifyImages.crappify(imp, c, "random".equals(level), rng);
    }

    private static void write(ImagePlus imp, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // Ends in .tif: IJ.saveAsTiff replaces any other extension and would write beside the temporary file.
        Path tmp = Files.createTempFile(parent, out.getFileName().toString(), ".part.tif");
        try {
            if (!IJ.saveAsTiff(imp, tmp.toString())) {
                throw new IOException("cannot write " + out);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private int fit(CrappifierParams base) throws IOException {
        List<FloatPlane> planes = new ArrayList<>();
        for (TrainingImages.Named n : TrainingImages.read(TrainingImages.list(List.of(fit)), 1)) {
            planes.add(n.plane());
        }
        NoiseFit.Result r = NoiseFit.fit(planes);
        long used = r.bins().stream().filter(NoiseFit.Bin::used).count();
        if (used < 2) {
            throw new IOException("too few usable intensity levels in " + fit + " to fit noise (" + used
                    + " bins); add more or larger images");
        }
        // Train around the fitted level (×/÷ 2), so the model tolerates day-to-day variation.
        double peak = r.peak();
        double sigma = r.gaussianSigma();
        Range peaks = Double.isInfinite(peak) ? new Range(1000, 10000) : new Range(peak / 2, peak * 2);
        Range sigmas = new Range(sigma / 2, Math.max(sigma * 2, 1e-4));
        CrappifierParams fitted = base.withNoise(peaks, sigmas);
        if (Files.exists(output) && !overwrite) {
            throw new IOException(output + " exists; use --overwrite to replace it");
        }
        PresetIO.write(output, fitted);
        System.out.printf(Locale.ROOT, "noise fit on %d planes: var = %.3g * mean + %.3g (peak %.1f photons, read sigma %.4f;"
                + " %d intensity bins used)%n", planes.size(), r.a(), r.b(), peak, sigma, used);
        System.out.println("preset written to " + output);
        return 0;
    }

    static String stem(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
