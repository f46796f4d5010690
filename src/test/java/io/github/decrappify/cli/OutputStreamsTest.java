package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.github.decrappify.testutil.TestBundles;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a command's result (a table, {@code --json}) is alone on stdout, so {@code --json | jq} and
 * {@code > scores.txt} capture it whole; its log (progress, device, timings, which files it wrote) is on stderr.
 * Run through {@link Main#execute}, as {@code bin/decrappify} does.
 */
class OutputStreamsTest {

    @TempDir
    static Path shared;
    static Path models;

    @TempDir
    Path dir;

    @BeforeAll
    static void bundle() throws Exception {
        System.setProperty("java.awt.headless", "true");
        models = shared.resolve("models");
        TestBundles.create(models, "unet-x2", 2);
    }

    /** Parses {@code text} as exactly one JSON value: no leniency, nothing before or after it. */
    static JsonElement strictJson(String text) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setLenient(false);
        JsonElement e = new Gson().getAdapter(JsonElement.class).read(reader);
        assertEquals(JsonToken.END_DOCUMENT, reader.peek(), () -> "text after the JSON value:\n" + text);
        return e;
    }

    @Test
    void evaluateJsonOfAFolderIsValidJsonAloneOnStdoutWhileProgressGoesToStderr() throws Exception {
        Path pred = Files.createDirectories(dir.resolve("pred"));
        Path truth = Files.createDirectories(dir.resolve("truth"));
        for (String name : List.of("a", "b")) {
            FloatProcessor t = new FloatProcessor(64, 64);
            FloatProcessor p = new FloatProcessor(64, 64);
            Random rnd = new Random(name.hashCode());
            for (int i = 0; i < 64 * 64; i++) {
                float v = (float) (100 + 50 * Math.sin(i * 0.1));
                t.setf(i, v);
                p.setf(i, v + (float) rnd.nextGaussian());
            }
            IJ.saveAsTiff(new ImagePlus(name, t), truth.resolve(name + ".tif").toString());
            IJ.saveAsTiff(new ImagePlus(name, p), pred.resolve(name + ".tif").toString());
        }
        Cli.Result r = Cli.run("evaluate", "--prediction", pred.toString(), "--truth", truth.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = strictJson(r.out()).getAsJsonObject();
        JsonArray images = o.getAsJsonArray("images");
        assertEquals(2, images.size(), r.out());
        assertEquals("a.tif", images.get(0).getAsJsonObject().get("image").getAsString());
        assertEquals("b.tif", images.get(1).getAsJsonObject().get("image").getAsString());
        // noise of sd 1 on a range of about 100 (the 1/99.8 percentiles): MSE 1e-4 of the range², about 40 dB
        double psnr = o.getAsJsonObject("mean").get("psnr").getAsDouble();
        assertTrue(psnr > 38 && psnr < 43, "mean PSNR " + psnr);
        assertEquals(List.of("Evaluating 1/2: a.tif", "Evaluating 2/2: b.tif"), r.err().strip().lines().toList(),
                "the progress, on stderr");
    }

    @Test
    void restorePrintsItsLogOnStderrAndNothingOnStdout() throws Exception {
        ImageStack stack = new ImageStack(64, 64);
        for (int z = 0; z < 3; z++) {
            ShortProcessor sp = new ShortProcessor(64, 64);
            for (int i = 0; i < 64 * 64; i++) {
                sp.set(i, 1000 + 7 * (i % 64) + 3 * (i / 64) + 100 * z);
            }
            stack.addSlice(sp);
        }
        Path in = dir.resolve("stack.tif");
        IJ.saveAsTiff(new ImagePlus("stack", stack), in.toString());
        Path out = dir.resolve("stack_x2.tif");
        String[] args = {"restore", "-m", "unet-x2", "--models-dir", models.toString(), "-i", in.toString(), "-o",
                out.toString(), "--device", "cpu"};
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out(), "restore has no result to print: its result is the file");
        List<String> log = r.err().strip().lines().toList();
        assertTrue(log.get(0).startsWith("model unet-x2 (x2, em) on CPU"), r.err());
        assertEquals(List.of("plane 1/3", "plane 2/3", "plane 3/3"), log.stream().filter(l -> l.startsWith("plane ")).toList(),
                r.err());
        assertTrue(log.get(log.size() - 1).startsWith("restored " + out + " in "), r.err());
        assertEquals(128, IJ.openImage(out.toString()).getWidth());

        String[] quiet = java.util.Arrays.copyOf(args, args.length + 2);
        quiet[args.length] = "--overwrite";
        quiet[args.length + 1] = "--quiet";
        Cli.Result q = Cli.run(quiet);
        assertEquals(0, q.code(), q.err());
        assertEquals("", q.out());
        assertEquals("", q.err(), "--quiet leaves only errors");
    }
}
