package io.github.decrappify.train.nogan;

import io.github.decrappify.train.TrainingListener;
import io.github.decrappify.train.StepEvent;
import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.nio.file.Path;
import java.util.List;

/** Child process for {@link NoGanResumeTest}: runs the tiny NoGAN set-up slowly so the test can SIGKILL it. */
public final class NoGanKillMain {
    private NoGanKillMain() {}

    public static void main(String[] args) throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        TrainingListener slow = new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                try {
                    Thread.sleep(40);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        new NoGanTrainer(TinyNoGan.resumeConfig(), TinyNoGan.data(), Path.of(args[0])).optAllowGpu(false)
                .run(TinyNoGan.base(), true, List.of(slow));
    }
}
