package io.github.decrappify.train;

/**
 * One-cycle learning rate: linear warm-up from {@code max/25} to {@code max}, then cosine annealing
 * to {@code max/1000}. Warm-up matters here: rates above ~2e-4 without it diverged (design.md).
 */
public record Schedule(float max, int warmupSteps, int totalSteps) {

    public float at(long step) {
        if (step <= warmupSteps && warmupSteps > 0) {
            float start = max / 25f;
            return start + (max - start) * step / warmupSteps;
        }
        double t = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        t = Math.min(1, Math.max(0, t));
        float end = max / 1000f;
        return (float) (end + (max - end) * 0.5 * (1 + Math.cos(Math.PI * t)));
    }
}
