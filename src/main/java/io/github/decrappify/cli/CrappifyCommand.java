package io.github.decrappify.cli;

import io.github.decrappify.crappify.BlurFit;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifyImages;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.NoiseFit;
import io.github.decrappify.crappify.PresetIO;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.crappify.Range;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageSources;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.TiffStackWriter;
import io.github.decrappify.train.TrainingException;
import io.github.decrappify.train.TrainingImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code decrappify crappify}: synthesise LR images from HR ones, or fit a preset to real LR images. */
@Command(name = "crappify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Degrade HR images into realistic LR images (blur, downsampling, Poisson + Gaussian noise),",
                "or with --fit estimate a preset's noise from a folder of real LR acquisitions."})
public final class CrappifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

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

    @Option(names = "--fit", split = ",", paramLabel = "LR_DIR|FILE",
            description = "Estimate the noise (variance vs intensity) of real LR images (folders or files, comma-separated).")
    List<Path> fit;

    @Option(names = "--fit-blur", split = ",", paramLabel = "HR,LR",
            description = "With --fit: also estimate the optical blur from a real HR/LR pair of the same field.")
    List<Path> fitBlur;

    @Option(names = "--overwrite", description = "Replace existing outputs.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (scale != null) {
            BadOptionException.require("--scale", scale, 1, CrappifierParams.MAX_SCALE);
        }
        if (!level.equals("typical") && !level.equals("random")) {
            throw new BadOptionException("--level must be typical or random, not " + level); // it meant typical
        }
        CrappifierParams params = Presets.resolveOwnScale(preset, scale);
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
            BadOptionException.requireFolderName("-o", output);
        } else {
            BadOptionException.requireTiffName("-o", output);
        }
        if (folder) {
            Files.createDirectories(output);
        }
        int i = 0;
        for (Path f : files) {
            Path out = folder ? output.resolve(stem(f) + ".tif") : output;
            if (Files.exists(out) && !overwrite) {
                throw new IOException(out + " exists; use --overwrite to replace it");
            }
            crappify(c, f, out, new Random(seed + i++));
            spec.commandLine().getErr().println(f + " -> " + out); // the log: which file became which
        }
        return 0;
    }

    /**
     * Reads {@code f} as restore does (same checks) and streams its crappified planes into a TIFF that
     * appears under its name only when complete.
     */
    private void crappify(Crappifier c, Path f, Path out, Random rng) throws BadInputException, IOException {
        int s = c.params().scale();
        try (ImageStackSource src = ImageSources.open(f)) {
            StackShape shape = new StackShape(Math.max(1, src.width() / s), Math.max(1, src.height() / s), src.channels(),
                    src.slices(), src.frames(), 32);
            io.github.decrappify.image.Calibration in = src.calibration();
            io.github.decrappify.image.Calibration cal = !in.isCalibrated() ? in
                    : new io.github.decrappify.image.Calibration(in.pixelWidth() * s, in.pixelHeight() * s,
                            in.pixelDepth(), in.unit(), in.frameInterval(), in.timeUnit());
            TiffStackWriter[] w = new TiffStackWriter[1];
            try {
                CrappifyImages.crappify(src, c, "random".equals(level), rng, (ch, z, t, lr) -> {
                    if (w[0] == null) {
                        w[0] = new TiffStackWriter(out.toAbsolutePath(), shape, cal, CrappifyImages.info(c));
                    }
                    w[0].writePlane(ch, z, t, lr);
                });
                w[0].commit();
            } finally {
                if (w[0] != null) {
                    w[0].close();
                }
            }
        }
    }

    private int fit(CrappifierParams base) throws IOException, BadInputException, TrainingException {
        List<FloatPlane> planes = new ArrayList<>();
        for (TrainingImages.Named n : TrainingImages.read(TrainingImages.list(fit), 1)) {
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
        if (fitBlur != null) {
            if (fitBlur.size() != 2) {
                throw new IllegalArgumentException("--fit-blur needs HR,LR (two files of the same field)");
            }
            BlurFit.Result b = BlurFit.fit(ImageSources.readSinglePlane(fitBlur.get(0)), ImageSources.readSinglePlane(fitBlur.get(1)),
                    base.scale());
            StringBuilder curve = new StringBuilder();
            for (int i = 0; i < b.sigmas().length; i++) {
                curve.append(String.format(Locale.ROOT, " %.1f:%.2f", b.sigmas()[i], b.psnr()[i]));
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "blur fit: sigma %.1f HR px (PSNR of blurred+downsampled HR vs LR by sigma:%s)%n",
                    b.sigma(), curve);
            fitted = fitted.withBlurSigma(b.sigma());
        }
        if (Files.exists(output) && !overwrite) {
            throw new IOException(output + " exists; use --overwrite to replace it");
        }
        PresetIO.write(output, fitted);
        // the fitted numbers are the result (stdout); where the preset went is the log (stderr)
        spec.commandLine().getOut().printf(Locale.ROOT, "noise fit on %d planes: var = %.3g * mean + %.3g (peak %.1f photons, read sigma %.4f;"
                + " %d intensity bins used)%n", planes.size(), r.a(), r.b(), peak, sigma, used);
        spec.commandLine().getErr().println("preset written to " + output);
        return 0;
    }

    static String stem(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
