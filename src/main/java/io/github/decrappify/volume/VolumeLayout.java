package io.github.decrappify.volume;

import io.github.decrappify.image.StackShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Block-wise restoration of a whole stack: the {@link BlockPlan} of a plane repeated over channels,
 * frames and z-chunks, with the tasks of both stages numbered so that a task list never needs to be
 * materialised (a terabyte volume has millions of blocks): task i is decoded on demand.
 *
 * <p>Block tasks are ordered channel, frame, block row, block column, z-chunk (fastest), so consecutive
 * tasks read the same input chunks (cached) when input chunks are deeper than the output's.
 */
public final class VolumeLayout {

    private final StackShape input;
    private final BlockPlan plan;
    private final int chunkZ;
    private final int zChunks;
    private final List<int[]> shared;

    public VolumeLayout(StackShape input, BlockPlan plan, int chunkZ) {
        if (plan.tilePlan().width() != input.width() || plan.tilePlan().height() != input.height()) {
            throw new IllegalArgumentException("block plan does not match the input's plane size");
        }
        this.input = input;
        this.plan = plan;
        this.chunkZ = Math.min(chunkZ, input.slices());
        this.zChunks = (input.slices() + this.chunkZ - 1) / this.chunkZ;
        List<int[]> list = new ArrayList<>();
        for (int row = 0; row < plan.chunkRows(); row++) {
            for (int column = 0; column < plan.chunkColumns(); column++) {
                if (plan.isShared(column, row)) {
                    list.add(new int[] {column, row});
                }
            }
        }
        this.shared = list;
    }

    public StackShape input() {
        return input;
    }

    public BlockPlan plan() {
        return plan;
    }

    public int chunkZ() {
        return chunkZ;
    }

    public int zChunks() {
        return zChunks;
    }

    /** Planes [first, end) of z-chunk zc. */
    public int firstPlane(int zc) {
        return zc * chunkZ;
    }

    public int endPlane(int zc) {
        return Math.min(input.slices(), (zc + 1) * chunkZ);
    }

    private long groups() {
        return (long) input.channels() * input.frames() * zChunks;
    }

    public long blockTaskCount() {
        return groups() * plan.blockCount();
    }

    public long mergeTaskCount() {
        return groups() * shared.size();
    }

    /** Output chunks per plane group (owned and shared), for reports. */
    public long outputChunkCount() {
        return groups() * plan.chunkColumns() * plan.chunkRows();
    }

    public BlockTask blockTask(long index) {
        if (index < 0 || index >= blockTaskCount()) {
            throw new IndexOutOfBoundsException("block task " + index + " of " + blockTaskCount());
        }
        int zc = (int) (index % zChunks);
        long rest = index / zChunks;
        int column = (int) (rest % plan.blockColumns());
        rest /= plan.blockColumns();
        int row = (int) (rest % plan.blockRows());
        rest /= plan.blockRows();
        int t = (int) (rest % input.frames());
        int c = (int) (rest / input.frames());
        return new BlockTask(c, t, zc, column, row);
    }

    public MergeTask mergeTask(long index) {
        if (index < 0 || index >= mergeTaskCount()) {
            throw new IndexOutOfBoundsException("merge task " + index + " of " + mergeTaskCount());
        }
        int zc = (int) (index % zChunks);
        long rest = index / zChunks;
        int[] chunk = shared.get((int) (rest % shared.size()));
        rest /= shared.size();
        int t = (int) (rest % input.frames());
        int c = (int) (rest / input.frames());
        return new MergeTask(c, t, zc, chunk[0], chunk[1]);
    }
}
