package io.github.decrappify.spark;

import io.github.decrappify.model.ModelBundle;
import io.github.decrappify.restore.RestoreListener;
import io.github.decrappify.restore.RestoreRequest;
import io.github.decrappify.volume.VolumeOptions;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A spark-restore in its own JVM, for {@link SparkRestoreTest} to kill with SIGKILL part way
 * (not a test). Arguments: bundle folder, input, output; same settings as the test's own runs.
 */
public final class SparkKillMain {

    private SparkKillMain() {
    }

    public static void main(String[] args) throws Exception {
        Path bundleDir = Path.of(args[0]);
        ModelBundle bundle = ModelBundle.open(bundleDir);
        String sha = bundle.spec().artifacts().weights().sha256();
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2,4]")
                .setAppName("decrappify-kill-test").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"))) {
            SparkRestore.run(sc, Path.of(args[1]), Path.of(args[2]), new BundleModelSource(args[0], "cpu", sha),
                    RestoreRequest.defaults().settingsFor(bundle.spec()), new VolumeOptions(96, 1, 1, 1), 6,
                    RestoreListener.NONE);
        }
    }
}
