package io.github.decrappify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.FloatProcessor;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.train.CentreWeight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 4: restoring with the bundled x1 denoiser keeps the input's size, and its checks work: TTA
 * writes a same-size uncertainty map, and the QC map (for a x1 model with no blur the degradation is the
 * identity) is what the model removed, so its RSE is the input's noise level. Real confocal frame (FMD, MIT).
 */
class DenoiserChecksTest {

    private static final Path FRAME = Path.of("/work/shared/data/real_noise_fmd_confocal_bpae/fov20_raw7.png");

    @TempDir
    Path tmp;

    @Test
    void ttaAndQcOfTheDenoiserMeasureWhatItRemoved() throws Exception {
        ImagePlus frame = IJ.openImage(FRAME.toString());
        frame.setRoi(128, 128, 192, 160);
        ImagePlus crop = frame.crop();
        Path in = tmp.resolve("frame.tif");
        assertTrue(IJ.saveAsTiff(crop, in.toString()));
        Path out = tmp.resolve("out/frame_dn.tif");
        Path qc = tmp.resolve("out/frame_qc.tif");
        Cli.Result r = Cli.run("restore", "-m", "fluo-denoise-unet-s", "-i", in.toString(), "-o", out.toString(), "--tta",
                "--qc", qc.toString(), "--device", "cpu").assertSuccessWithLog();
        assertTrue(r.err().contains("QC maps degrade with the model's crappifier"), r.err());
        ImagePlus result = IJ.openImage(out.toString());
        assertEquals(192, result.getWidth());
        assertEquals(160, result.getHeight());
        ImagePlus spread = IJ.openImage(tmp.resolve("out/frame_dn_uncertainty.tif").toString());
        assertEquals(192, spread.getWidth());
        assertEquals(160, spread.getHeight());
        ImagePlus map = IJ.openImage(qc.toString());
        assertEquals(192, map.getWidth(), "a x1 model's QC map is input-sized");
        assertEquals(160, map.getHeight());
        List<String> csv = Files.readAllLines(qc.resolveSibling("frame_qc.csv"));
        double rse = Double.parseDouble(csv.get(1).split(",")[3]);
        FloatProcessor fp = crop.getProcessor().convertToFloatProcessor();
        double noise = Math.sqrt(CentreWeight.noiseVariance(new FloatPlane(192, 160, (float[]) fp.getPixels())));
        // the map holds what was removed: the noise (~5-6 grey levels here), not structure
        assertTrue(rse > 0.7 * noise && rse < 1.3 * noise, "RSE " + rse + " vs the frame's noise sd " + noise);
        double meanSpread = 0;
        for (float v : (float[]) spread.getProcessor().getPixels()) {
            meanSpread += v;
        }
        meanSpread /= 192 * 160;
        assertTrue(meanSpread > 0 && meanSpread < 0.5 * noise, "TTA spread " + meanSpread + " well below the noise " + noise);
    }
}
