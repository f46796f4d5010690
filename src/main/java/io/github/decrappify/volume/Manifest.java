package io.github.decrappify.volume;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.decrappify.image.Normalisation;
import io.github.decrappify.image.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The record of a block-wise restoration, {@code <output>/.decrappify/manifest.json}: what was asked
 * (the fingerprint: input, model, tiling, chunking), a fingerprint of the input's content (a resume
 * refuses to mix blocks of a changed input), the normalisation used (reused on resume, so a rerun never
 * recomputes or changes it), the plan's size, and one entry per run with what it did.
 */
public final class Manifest {

    public static final String FORMAT = "decrappify-volume-manifest/1";

    private final Path file;
    private final JsonObject json;

    private Manifest(Path file, JsonObject json) {
        this.file = file;
        this.json = json;
    }

    static Manifest create(Path file, JsonObject fingerprint, JsonObject inputContent, Normalisation[] norms,
            VolumeLayout layout) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("state", "running");
        o.addProperty("created", Instant.now().toString());
        o.add("fingerprint", fingerprint);
        o.add("input_content", inputContent);
        JsonArray n = new JsonArray();
        for (int c = 0; c < norms.length; c++) {
            JsonObject e = new JsonObject();
            e.addProperty("channel", c);
            e.addProperty("low", norms[c].low());
            e.addProperty("high", norms[c].high());
            n.add(e);
        }
        o.add("normalisation", n);
        JsonObject plan = new JsonObject();
        plan.addProperty("block_tasks", layout.blockTaskCount());
        plan.addProperty("shared_chunk_tasks", layout.mergeTaskCount());
        plan.addProperty("output_chunks", layout.outputChunkCount());
        plan.addProperty("blocks_per_plane", layout.plan().blockCount());
        plan.addProperty("tiles_per_plane", layout.plan().tilePlan().tiles().size());
        o.add("plan", plan);
        o.add("runs", new JsonArray());
        return new Manifest(file, o);
    }

    /** @return null if there is no manifest */
    static Manifest read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonObject o = Json.read(file).getAsJsonObject();
            if (!FORMAT.equals(o.get("format").getAsString())) {
                throw new IOException(file + " is not a manifest of this version (" + o.get("format") + ")");
            }
            return new Manifest(file, o);
        } catch (RuntimeException e) {
            throw new IOException(file + " is corrupt (" + e.getMessage() + "); delete the output and restart", e);
        }
    }

    public JsonObject fingerprint() {
        return json.getAsJsonObject("fingerprint");
    }

    /** The input's content fingerprint ({@link InputFingerprint}); {@code null} in manifests of older versions. */
    public JsonObject inputContent() {
        return json.has("input_content") && json.get("input_content").isJsonObject()
                ? json.getAsJsonObject("input_content") : null;
    }

    public boolean isComplete() {
        return "complete".equals(json.get("state").getAsString());
    }

    public Normalisation[] normalisations() {
        JsonArray a = json.getAsJsonArray("normalisation");
        Normalisation[] n = new Normalisation[a.size()];
        for (int c = 0; c < n.length; c++) {
            JsonObject e = a.get(c).getAsJsonObject();
            n[c] = new Normalisation(e.get("low").getAsDouble(), e.get("high").getAsDouble());
        }
        return n;
    }

    /** The runs so far (a copy). */
    public JsonArray runs() {
        return json.getAsJsonArray("runs").deepCopy();
    }

    void addRun(JsonObject run, boolean complete) {
        json.getAsJsonArray("runs").add(run);
        json.addProperty("state", complete ? "complete" : "running");
        json.addProperty("updated", Instant.now().toString());
    }

    void write() throws IOException {
        Json.writeAtomically(file, json);
    }

    public Path file() {
        return file;
    }
}
