package io.github.decrappify.train;

import io.github.decrappify.runtime.Device;
import io.github.decrappify.runtime.TensorFlowNatives;
import java.nio.file.Path;
import java.util.List;

/** Child process for {@link TrainerTest}: trains slowly so that the test can SIGKILL it mid-run. */
public final class TrainKillMain {
    private TrainKillMain() {}

    public static void main(String[] args) throws Exception {
        TensorFlowNatives.prepare(Device.CPU);
        TrainingListener slow = new TrainingListener() {
            @Override
            public void onStep(StepEvent event) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        TinyTraining.trainer(Integer.parseInt(args[1]), Path.of(args[0])).run(null, true, List.of(slow));
    }
}
