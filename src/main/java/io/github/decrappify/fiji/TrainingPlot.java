package io.github.decrappify.fiji;

import ij.gui.Plot;
import java.awt.Color;
import java.util.Arrays;

/**
 * The curves of a training run: loss per step and validation PSNR, as ImageJ {@link Plot}s (two plots,
 * because the two have different units). Builds fresh plots from the recorded points, so a live window
 * is refreshed with {@code PlotWindow.drawPlot(curves.lossPlot())} and a headless run can still save them.
 */
final class TrainingPlot {

    private double[] steps = new double[256];
    private double[] losses = new double[256];
    private int n;
    private double[] valSteps = new double[16];
    private double[] psnrs = new double[16];
    private int nVal;
    private double baseline = Double.NaN;
    private String lossLabel = "loss (L1 + SSIM weight · (1 − SSIM))";

    /** What the loss is, for the plot's axis: supervised and self-supervised runs minimise different losses. */
    synchronized void setLossLabel(String label) {
        lossLabel = label;
    }

    synchronized void addLoss(long step, double loss) {
        if (n == steps.length) {
            steps = Arrays.copyOf(steps, 2 * n);
            losses = Arrays.copyOf(losses, 2 * n);
        }
        steps[n] = step;
        losses[n++] = loss;
    }

    synchronized void addPsnr(long step, double psnr) {
        if (nVal == valSteps.length) {
            valSteps = Arrays.copyOf(valSteps, 2 * nVal);
            psnrs = Arrays.copyOf(psnrs, 2 * nVal);
        }
        valSteps[nVal] = step;
        psnrs[nVal++] = psnr;
    }

    /** The best-blur PSNR of the validation set: drawn as a grey level the model's curve has to rise above. */
    synchronized void setBaseline(double psnr) {
        baseline = psnr;
    }

    synchronized double baseline() {
        return baseline;
    }

    synchronized int lossPoints() {
        return n;
    }

    synchronized int psnrPoints() {
        return nVal;
    }

    synchronized Plot lossPlot() {
        Plot plot = new Plot("Decrappify training loss", "step", lossLabel);
        plot.setColor(Color.BLUE);
        plot.add("line", Arrays.copyOf(steps, n), Arrays.copyOf(losses, n));
        plot.setLimitsToFit(false);
        return plot;
    }

    synchronized Plot psnrPlot() {
        Plot plot = new Plot("Decrappify validation PSNR", "step", "PSNR (dB)");
        plot.setColor(Color.RED);
        plot.add("connected circle", Arrays.copyOf(valSteps, nVal), Arrays.copyOf(psnrs, nVal));
        addBaseline(plot, baseline, nVal == 0 ? 1 : valSteps[nVal - 1]);
        plot.setLimitsToFit(false);
        return plot;
    }

    /**
     * Draws the best blur as a grey level from step 0 to {@code lastStep} under the validation curve,
     * with a legend; nothing when it is not known (NaN). Fine-tuning's PSNR plot ({@link GanPlot}) draws the same.
     */
    static void addBaseline(Plot plot, double baseline, double lastStep) {
        if (Double.isFinite(baseline)) {
            plot.setColor(Color.GRAY);
            plot.setLineWidth(1);
            plot.add("line", new double[] {0, Math.max(1, lastStep)}, new double[] {baseline, baseline});
            plot.setLegend("validation PSNR\tbest blur " + String.format(java.util.Locale.ROOT, "%.2f dB", baseline),
                    Plot.AUTO_POSITION);
        }
    }
}
