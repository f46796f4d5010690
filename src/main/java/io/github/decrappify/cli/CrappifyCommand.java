package io.github.decrappify.cli;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.Calibration;
import io.github.decrappify.crappify.BlurFit;
import io.github.decrappify.crappify.Crappifier;
import io.github.decrappify.crappify.CrappifyImages;
import io.github.decrappify.crappify.CrappifierParams;
import io.github.decrappify.crappify.NoiseFit;
import io.github.decrappify.crappify.PresetIO;
import io.github.decrappify.crappify.Presets;
import io.github.decrappify.crappify.Range;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.StackShape;
import io.github.decrappify.image.TiffStackWriter;
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
import picocli.CommandLine.Option;

/** {@code decrappify crappify}: synthesise LR images from HR ones, or fit a preset to real LR images. */
@Command(name = "crappify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
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

    /** Streams the planes into a TIFF that appears under its name only when complete. */
    private static void write(ImagePlus imp, Path out) throws IOException {
        Calibration c = imp.getCalibration();
        StackShape shape = new StackShape(imp.getWidth(), imp.getHeight(), imp.getNChannels(), imp.getNSlices(),
                imp.getNFrames(), 32);
        io.github.decrappify.image.Calibration cal = new io.github.decrappify.image.Calibration(c.pixelWidth,
                c.pixelHeight, c.pixelDepth, c.getUnit(), c.frameInterval, c.getTimeUnit());
        try (TiffStackWriter w = new TiffStackWriter(out.toAbsolutePath(), shape, cal, String.valueOf(imp.getProperty("Info")))) {
            for (int t = 0; t < shape.frames(); t++) {
                for (int z = 0; z < shape.slices(); z++) {
                    for (int ch = 0; ch < shape.channels(); ch++) {
                        float[] px = (float[]) imp.getStack().getProcessor(imp.getStackIndex(ch + 1, z + 1, t + 1)).getPixels();
                        w.writePlane(ch, z, t, new FloatPlane(shape.width(), shape.height(), px));
                    }
                }
            }
            w.commit();
        }
    }

    private int fit(CrappifierParams base) throws IOException {
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
            BlurFit.Result b = BlurFit.fit(EvaluateCommand.read(fitBlur.get(0)), EvaluateCommand.read(fitBlur.get(1)),
                    base.scale());
            StringBuilder curve = new StringBuilder();
            for (int i = 0; i < b.sigmas().length; i++) {
                curve.append(String.format(Locale.ROOT, " %.1f:%.2f", b.sigmas()[i], b.psnr()[i]));
            }
            System.out.printf(Locale.ROOT, "blur fit: sigma %.1f HR px (PSNR of blurred+downsampled HR vs LR by sigma:%s)%n",
                    b.sigma(), curve);
            fitted = fitted.withBlurSigma(b.sigma());
        }
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
