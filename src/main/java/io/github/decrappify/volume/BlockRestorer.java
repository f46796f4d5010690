package io.github.decrappify.volume;

import io.github.decrappify.image.AtomicFiles;
import io.github.decrappify.image.BadInputException;
import io.github.decrappify.image.FinitePixels;
import io.github.decrappify.image.FloatPlane;
import io.github.decrappify.image.ImageStackSource;
import io.github.decrappify.image.Normalisation;
import io.github.decrappify.image.zarr.OmeZarr;
import io.github.decrappify.image.zarr.OmeZarrStackSource;
import io.github.decrappify.image.zarr.ZarrArray;
import io.github.decrappify.image.zarr.ZarrCompressor;
import io.github.decrappify.restore.FrameWindow;
import io.github.decrappify.restore.RestoreSettings;
import io.github.decrappify.tile.Span;
import io.github.decrappify.tile.Tile;
import io.github.decrappify.tile.TileModel;
import io.github.decrappify.tile.TiledPredictor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Does the work of one block or one shared chunk of a {@link VolumeLayout}: the part of block-wise
 * restoration that runs wherever the data are (a local loop or a Spark executor).
 *
 * <p>A block reads its input window for each of its planes (with the neighbouring planes of a
 * multi-frame model), normalises it with the stack's percentiles, predicts its tiles in plan order,
 * writes the output chunks it owns and, for chunks shared with other blocks, one partial per tile:
 * the tile's weighted contribution to that chunk. A shared chunk is then the sum of its partials in
 * plan order. Every file is written atomically (temporary file + rename), so a killed or retried task
 * leaves either nothing or complete files, and writing a file twice writes the same bytes.
 *
 * <p>Not thread-safe (the model and a plane cache are used without locks): one instance per task
 * thread; instances may share a thread-safe model.
 */
public final class BlockRestorer {

    private static final ZarrCompressor PARTIAL_COMPRESSION = ZarrCompressor.zlib(1);

    private final VolumeLayout layout;
    private final BlockPlan plan;
    private final TiledPredictor predictor;
    private final RestoreSettings settings;
    private final Normalisation[] norms;
    private final ImageStackSource source;
    private final ZarrArray output;
    private final Path partials;
    private final int scale;
    private final int cw;
    private final int ch;
    private PlaneKey cachedKey;
    private FloatPlane cachedPlane;

    /**
     * @param output the 5D (t, c, z, y, x) output array with chunks (1, 1, chunkZ, chunkHeight, chunkWidth)
     * @param partials folder for partial contributions to shared chunks (on storage all workers see)
     */
    public BlockRestorer(TileModel model, RestoreSettings settings, VolumeLayout layout, Normalisation[] norms,
            ImageStackSource source, ZarrArray output, Path partials) {
        this.layout = layout;
        this.plan = layout.plan();
        this.settings = settings;
        this.predictor = new TiledPredictor(model, settings.tile(), settings.overlap());
        this.norms = norms.clone();
        this.source = source;
        this.output = output;
        this.partials = partials;
        this.scale = model.scale();
        this.cw = plan.chunkWidth();
        this.ch = plan.chunkHeight();
        if (model.scale() != plan.scale()) {
            throw new IllegalArgumentException("model scale " + model.scale() + " != plan scale " + plan.scale());
        }
    }

    /** What a task did, for logs and the manifest. */
    public record Result(boolean skipped, int chunksWritten, int partialsWritten, long nanos) {
    }

    /** A block is done when each chunk it reaches exists, or (shared, not yet merged) has its partials. */
    public boolean isDone(BlockTask task) {
        BlockPlan.Block b = plan.block(task.column(), task.row());
        for (int i = b.reachedRows().start(); i < b.reachedRows().end(); i++) {
            for (int j = b.reachedColumns().start(); j < b.reachedColumns().end(); j++) {
                if (output.chunkExists(chunkIndex(task.t(), task.c(), task.zChunk(), i, j))) {
                    continue;
                }
                if (b.ownedColumns().contains(j) && b.ownedRows().contains(i)) {
                    return false;
                }
                for (Tile tile : contributorsIn(b, j, i)) {
                    if (!Files.isRegularFile(partialPath(task.c(), task.t(), task.zChunk(), j, i, tile.index()))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Restores a block unless {@link #isDone}. Chunks and partials that an interrupted attempt already
     * wrote are complete (they are renamed into place whole) and are not written again.
     */
    public Result restore(BlockTask task) throws BadInputException, IOException {
        long t0 = System.nanoTime();
        if (isDone(task)) {
            return new Result(true, 0, 0, System.nanoTime() - t0);
        }
        BlockPlan.Block b = plan.block(task.column(), task.row());
        int z0 = layout.firstPlane(task.zChunk());
        int nz = layout.endPlane(task.zChunk()) - z0;
        Span oc = b.ownedColumns();
        Span or = b.ownedRows();
        int ownedX = oc.start() * cw;
        int ownedY = or.start() * ch;
        FloatPlane[] owned = new FloatPlane[nz];
        List<SharedPart> parts = sharedParts(b, nz);
        for (int dz = 0; dz < nz; dz++) {
            FloatPlane window = inputWindow(task.c(), z0 + dz, task.t(), b.windowX(), b.windowY());
            TiledPredictor.InputWindow in = new TiledPredictor.InputWindow(window, b.windowX().start(),
                    b.windowY().start());
            if (oc.length() > 0 && or.length() > 0) {
                owned[dz] = FloatPlane.zeros(oc.length() * cw, or.length() * ch, 1);
            }
            for (Tile tile : b.tiles()) {
                FloatPlane predicted = predictor.predictTile(tile, in);
                if (owned[dz] != null) {
                    TiledPredictor.accumulate(plan.tilePlan(), tile, predicted, scale, owned[dz], ownedX, ownedY);
                }
                for (SharedPart p : parts) {
                    if (p.tile.index() == tile.index()) {
                        TiledPredictor.accumulate(plan.tilePlan(), tile, predicted, scale, p.planes[dz], p.column * cw,
                                p.row * ch);
                    }
                }
            }
        }
        int chunks = 0;
        Normalisation norm = norms[task.c()];
        for (int i = or.start(); i < or.end() && owned[0] != null; i++) {
            for (int j = oc.start(); j < oc.end(); j++) {
                if (output.chunkExists(chunkIndex(task.t(), task.c(), task.zChunk(), i, j))) {
                    continue; // written by an interrupted earlier attempt: complete (renamed into place) and identical
                }
                float[] data = new float[output.chunkElements()];
                int plane = cw * ch;
                for (int dz = 0; dz < nz; dz++) {
                    FloatPlane src = owned[dz];
                    for (int y = 0; y < ch; y++) {
                        System.arraycopy(src.data(), ((i - or.start()) * ch + y) * src.width() + (j - oc.start()) * cw,
                                data, dz * plane + y * cw, cw);
                    }
                }
                writeChunk(task, i, j, nz, data, norm);
                chunks++;
            }
        }
        int written = 0;
        for (SharedPart p : parts) {
            if (output.chunkExists(chunkIndex(task.t(), task.c(), task.zChunk(), p.row, p.column))) {
                continue; // merged by an earlier run; its partials are no longer needed
            }
            Path file = partialPath(task.c(), task.t(), task.zChunk(), p.column, p.row, p.tile.index());
            if (!Files.isRegularFile(file)) {
                writePartial(file, p.planes);
                written++;
            }
        }
        return new Result(false, chunks, written, System.nanoTime() - t0);
    }

    /** A shared chunk is complete when its output chunk exists (chunks are renamed into place when whole). */
    public boolean isMerged(MergeTask task) {
        return output.chunkExists(chunkIndex(task.t(), task.c(), task.zChunk(), task.row(), task.column()));
    }

    /**
     * Sums a shared chunk's partials in plan order and writes the chunk, unless it exists.
     *
     * @return false if the chunk was already complete
     * @throws IOException if a partial is missing (a block of stage 1 did not finish) or unreadable
     */
    public boolean merge(MergeTask task) throws IOException {
        if (isMerged(task)) {
            return false;
        }
        int nz = layout.endPlane(task.zChunk()) - layout.firstPlane(task.zChunk());
        float[] sum = new float[output.chunkElements()];
        for (Tile tile : plan.contributors(task.column(), task.row())) {
            Path p = partialPath(task.c(), task.t(), task.zChunk(), task.column(), task.row(), tile.index());
            float[] part = readPartial(p, nz * cw * ch);
            for (int k = 0; k < part.length; k++) {
                sum[k] += part[k];
            }
        }
        writeChunk(new BlockTask(task.c(), task.t(), task.zChunk(), -1, -1), task.row(), task.column(), nz, sum,
                norms[task.c()]);
        return true;
    }

    /** Back to intensity units, padding beyond the image kept at 0, then an atomic chunk write. */
    private void writeChunk(BlockTask task, int row, int column, int nz, float[] data, Normalisation norm)
            throws IOException {
        int validW = Math.min(cw, plan.outputWidth() - column * cw);
        int validH = Math.min(ch, plan.outputHeight() - row * ch);
        for (int dz = 0; dz < layout.chunkZ(); dz++) {
            for (int y = 0; y < ch; y++) {
                int base = (dz * ch + y) * cw;
                for (int x = 0; x < cw; x++) {
                    data[base + x] = dz < nz && y < validH && x < validW ? norm.invert(data[base + x]) : 0f;
                }
            }
        }
        output.writeChunk(chunkIndex(task.t(), task.c(), task.zChunk(), row, column), data);
    }

    private static long[] chunkIndex(int t, int c, int zc, int row, int column) {
        return new long[] {t, c, zc, row, column};
    }

    /** The partial of {@code tile} for shared chunk (column, row) of a plane group. */
    public Path partialPath(int c, int t, int zc, int column, int row, int tile) {
        return partials.resolve("c" + c).resolve("t" + t).resolve("z" + zc).resolve(row + "." + column)
                .resolve(Integer.toString(tile));
    }

    private void writePartial(Path file, FloatPlane[] planes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(planes.length * cw * ch * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (FloatPlane p : planes) {
            b.asFloatBuffer().put(p.data());
            b.position(b.position() + p.data().length * 4);
        }
        Files.createDirectories(partials);
        OmeZarr.requireInside(file.getParent(), partials); // no planted link redirects the write elsewhere
        AtomicFiles.write(file, PARTIAL_COMPRESSION.compress(b.array()), partials.resolveSibling("tmp"));
    }

    private static float[] readPartial(Path file, int elements) throws IOException {
        byte[] stored;
        try {
            stored = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("partial " + file + " is missing: a block of stage 1 did not finish; rerun the job", e);
        }
        byte[] raw = PARTIAL_COMPRESSION.decompress(stored, elements * 4);
        float[] out = new float[elements];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** A tile's contribution to one shared chunk, one chunk-sized plane per z. */
    private static final class SharedPart {
        final Tile tile;
        final int column;
        final int row;
        final FloatPlane[] planes;

        SharedPart(Tile tile, int column, int row, int nz, int cw, int ch) {
            this.tile = tile;
            this.column = column;
            this.row = row;
            this.planes = new FloatPlane[nz];
            for (int z = 0; z < nz; z++) {
                planes[z] = FloatPlane.zeros(cw, ch, 1);
            }
        }
    }

    private List<SharedPart> sharedParts(BlockPlan.Block b, int nz) {
        List<SharedPart> parts = new ArrayList<>();
        for (int i = b.reachedRows().start(); i < b.reachedRows().end(); i++) {
            for (int j = b.reachedColumns().start(); j < b.reachedColumns().end(); j++) {
                if (b.ownedColumns().contains(j) && b.ownedRows().contains(i)) {
                    continue;
                }
                for (Tile tile : contributorsIn(b, j, i)) {
                    parts.add(new SharedPart(tile, j, i, nz, cw, ch));
                }
            }
        }
        return parts;
    }

    /** The block's tiles among the contributors of chunk (column, row). */
    private List<Tile> contributorsIn(BlockPlan.Block b, int column, int row) {
        List<Tile> list = new ArrayList<>();
        for (Tile tile : plan.contributors(column, row)) {
            if (b.tiles().contains(tile)) {
                list.add(tile);
            }
        }
        return list;
    }

    /** The normalised input window of plane (c, z, t), with neighbouring planes as channels for multi-frame models. */
    private FloatPlane inputWindow(int c, int z, int t, Span wx, Span wy) throws BadInputException {
        int frames = settings.inputFrames();
        boolean alongZ = settings.frameAxis() == io.github.decrappify.model.BundleSpec.FrameAxis.Z;
        int axisLength = alongZ ? layout.input().slices() : layout.input().frames();
        int[] positions = FrameWindow.around(alongZ ? z : t, frames, axisLength);
        FloatPlane stacked = null;
        for (int k = 0; k < positions.length; k++) {
            FloatPlane raw = readWindow(c, alongZ ? positions[k] : z, alongZ ? t : positions[k], wx, wy);
            FloatPlane normalised = norms[c].apply(raw);
            if (frames == 1) {
                return normalised;
            }
            if (stacked == null) {
                stacked = FloatPlane.zeros(normalised.width(), normalised.height(), frames);
            }
            float[] out = stacked.data();
            float[] in = normalised.data();
            for (int i = 0; i < in.length; i++) {
                out[i * frames + k] = in[i];
            }
        }
        return stacked;
    }

    private record PlaneKey(int c, int z, int t) {
    }

    private FloatPlane readWindow(int c, int z, int t, Span wx, Span wy) throws BadInputException {
        FloatPlane window;
        String where = source.title() + " (c=" + (c + 1) + ", z=" + (z + 1) + ", t=" + (t + 1) + ")";
        if (source instanceof OmeZarrStackSource zarr) {
            window = zarr.readWindow(c, z, t, wx.start(), wy.start(), wx.length(), wy.length());
        } else {
            // Whole-plane sources (TIFF): keep the last plane, blocks of a plane come one after another.
            PlaneKey key = new PlaneKey(c, z, t);
            if (!key.equals(cachedKey)) {
                cachedPlane = source.readPlane(c, z, t);
                cachedKey = key;
            }
            window = crop(cachedPlane, wx, wy);
        }
        FinitePixels.require(window, where);
        return window;
    }

    private static FloatPlane crop(FloatPlane p, Span wx, Span wy) {
        float[] out = new float[wx.length() * wy.length()];
        for (int y = 0; y < wy.length(); y++) {
            System.arraycopy(p.data(), (wy.start() + y) * p.width() + wx.start(), out, y * wx.length(), wx.length());
        }
        return new FloatPlane(wx.length(), wy.length(), out);
    }
}
