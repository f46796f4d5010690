package io.github.decrappify.net;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/** Sessions with explicit thread settings (design.md: inter-op 2 helps training, not inference). */
public final class SessionFactory {
    private SessionFactory() {}

    public static Session create(Graph g, int intraOpThreads, int interOpThreads, boolean allowGpu) {
        ConfigProto.Builder cfg = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(Math.max(0, intraOpThreads))
                .setInterOpParallelismThreads(Math.max(0, interOpThreads))
                .setAllowSoftPlacement(true);
        if (!allowGpu) {
            cfg.putDeviceCount("GPU", 0);
        }
        return new Session(g, cfg.build());
    }
}
