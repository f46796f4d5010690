package io.github.decrappify.train.nogan;

import io.github.decrappify.net.Params;
import java.util.Arrays;

/**
 * Network interpolation (Wang et al., ESRGAN 2018): {@code θ = α·θ_PSNR + (1 − α)·θ_GAN}, parameter by
 * parameter, between the pre-GAN generator (fidelity) and the GAN generator (sharpness). α = 1 gives
 * the pre-GAN generator exactly, α = 0 the GAN generator exactly.
 */
public final class Interpolation {
    private Interpolation() {}

    public static Params mix(Params psnr, Params gan, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (!psnr.asMap().keySet().equals(gan.asMap().keySet())) {
            throw new IllegalArgumentException("the two generators have different parameters");
        }
        if (alpha == 1) {
            return psnr;
        }
        if (alpha == 0) {
            return gan;
        }
        Params out = new Params();
        float a = (float) alpha;
        psnr.asMap().forEach((name, p) -> {
            Params.Tensor g = gan.get(name);
            if (!Arrays.equals(p.shape(), g.shape())) {
                throw new IllegalArgumentException("parameter " + name + " differs in shape between the two generators");
            }
            float[] v = new float[p.data().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = a * p.data()[i] + (1 - a) * g.data()[i];
            }
            out.put(name, new Params.Tensor(p.shape(), v));
        });
        return out;
    }
}
