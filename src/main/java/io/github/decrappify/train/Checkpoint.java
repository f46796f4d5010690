package io.github.decrappify.train;

import io.github.decrappify.image.AtomicFiles;
import io.github.decrappify.net.Params;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training state on disk: step, weights and Adam moments, the config it belongs to and the history
 * of losses/validations so far. Written to a temporary file and renamed over the previous checkpoint,
 * so a run killed at any moment (SIGKILL included) leaves either the old or the new checkpoint whole.
 * The weights of the best validation so far ride in the same file ({@link Best}, optional), so a
 * resumed run keeps them exactly when it keeps the step they are relative to.
 */
public record Checkpoint(long step, Params state, Map<String, String> meta, List<String> history, Best best) {

    /** Weights (no optimiser state) of the step with the best validation PSNR so far, and its scores. */
    public record Best(long step, double psnr, double ssim, Params weights) {}

    /** A checkpoint without best-validation weights (NoGAN keeps its own). */
    public Checkpoint(long step, Params state, Map<String, String> meta, List<String> history) {
        this(step, state, meta, history, null);
    }

    private static final int MAGIC = 0x44434b31; // "DCK1"
    public static final String FILE = "checkpoint.bin";

    public void write(Path dir) throws IOException {
        // AtomicFiles: unique exclusive temp, removed on SIGTERM, and a second run writing the same folder is refused.
        try (AtomicFiles.Output o = AtomicFiles.open(dir.resolve(FILE));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(o.channel()),
                        1 << 20))) {
            out.writeInt(MAGIC);
            out.writeLong(step);
            out.writeInt(meta.size());
            for (Map.Entry<String, String> e : meta.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(history.size());
            for (String h : history) {
                out.writeUTF(h);
            }
            writeParams(out, state);
            // Appended section: files written before it existed simply end here (read as no best).
            out.writeInt(best == null ? 0 : 1);
            if (best != null) {
                out.writeLong(best.step());
                out.writeDouble(best.psnr());
                out.writeDouble(best.ssim());
                writeParams(out, best.weights());
            }
            out.flush();
            o.commit();
        }
    }

    /** Reads {@code dir/checkpoint.bin}, or returns {@code null} when there is none. */
    public static Checkpoint read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream is = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 20))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a Decrappify checkpoint");
            }
            long step = in.readLong();
            Map<String, String> meta = new LinkedHashMap<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                meta.put(in.readUTF(), in.readUTF());
            }
            List<String> history = new ArrayList<>();
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                history.add(in.readUTF());
            }
            Params state = readParams(in);
            Best best = null;
            int hasBest;
            try {
                hasBest = in.readInt();
            } catch (EOFException older) {
                hasBest = 0;
            }
            if (hasBest != 0 && hasBest != 1) {
                throw new IOException("corrupt checkpoint " + file + ": best-weights flag " + hasBest);
            }
            if (hasBest == 1) {
                best = new Best(in.readLong(), in.readDouble(), in.readDouble(), readParams(in));
            }
            return new Checkpoint(step, state, meta, history, best);
        }
    }

    private static void writeParams(DataOutputStream out, Params p) throws IOException {
        out.writeInt(p.asMap().size());
        for (Map.Entry<String, Params.Tensor> e : p.asMap().entrySet()) {
            out.writeUTF(e.getKey());
            long[] shape = e.getValue().shape();
            out.writeInt(shape.length);
            for (long d : shape) {
                out.writeLong(d);
            }
            for (float v : e.getValue().data()) {
                out.writeFloat(v);
            }
        }
    }

    private static Params readParams(DataInputStream in) throws IOException {
        Params state = new Params();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            long[] shape = new long[in.readInt()];
            long size = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
                size *= shape[d];
            }
            if (size > Integer.MAX_VALUE) {
                throw new IOException("corrupt checkpoint: tensor " + name + " too large");
            }
            float[] v = new float[(int) size];
            for (int j = 0; j < v.length; j++) {
                v[j] = in.readFloat();
            }
            state.put(name, new Params.Tensor(shape, v));
        }
        return state;
    }
}
