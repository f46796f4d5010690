package io.github.decrappify.fiji;

import ij.gui.Plot;
import java.awt.Color;
import java.util.Arrays;

/**
 * The curves of a fine-tuning run: generator and critic losses per step (one plot, x = steps of the
 * whole run) and validation PSNR with the best blur as a grey level. Builds fresh plots from the recorded points, so a live window is
 * refreshed with {@code PlotWindow.drawPlot(...)} and a headless run can still render them.
 */
final class GanPlot {

    private final Series generator = new Series();
    private final Series critic = new Series();
    private final Series psnr = new Series();
    private double baseline = Double.NaN;

    private static final class Series {
        double[] x = new double[256];
        double[] y = new double[256];
        int n;

        void add(double xv, double yv) {
            if (n == x.length) {
                x = Arrays.copyOf(x, 2 * n);
                y = Arrays.copyOf(y, 2 * n);
            }
            x[n] = xv;
            y[n++] = yv;
        }
    }

    synchronized void addGenerator(long step, double loss) {
        generator.add(step, loss);
    }

    synchronized void addCritic(long step, double loss) {
        critic.add(step, loss);
    }

    synchronized void addPsnr(long step, double value) {
        psnr.add(step, value);
    }

    /** The best-blur PSNR of the validation set, drawn as in {@link TrainingPlot}. */
    synchronized void setBaseline(double value) {
        baseline = value;
    }

    synchronized double baseline() {
        return baseline;
    }

    synchronized int generatorPoints() {
        return generator.n;
    }

    synchronized int criticPoints() {
        return critic.n;
    }

    synchronized int psnrPoints() {
        return psnr.n;
    }

    synchronized Plot lossPlot() {
        Plot plot = new Plot("Decrappify fine-tuning losses", "step (whole run)", "loss");
        plot.setColor(Color.BLUE);
        plot.add("line", Arrays.copyOf(generator.x, generator.n), Arrays.copyOf(generator.y, generator.n));
        plot.setColor(Color.RED);
        plot.add("line", Arrays.copyOf(critic.x, critic.n), Arrays.copyOf(critic.y, critic.n));
        plot.setColor(Color.BLACK);
        plot.addLegend("generator\ncritic");
        plot.setLimitsToFit(false);
        return plot;
    }

    synchronized Plot psnrPlot() {
        Plot plot = new Plot("Decrappify fine-tuning validation PSNR", "step (whole run)", "PSNR (dB)");
        plot.setColor(Color.RED);
        plot.add("connected circle", Arrays.copyOf(psnr.x, psnr.n), Arrays.copyOf(psnr.y, psnr.n));
        TrainingPlot.addBaseline(plot, baseline, psnr.n == 0 ? 1 : psnr.x[psnr.n - 1]);
        plot.setLimitsToFit(false);
        return plot;
    }
}
