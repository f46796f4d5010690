package io.github.decrappify.image.zarr;

import io.github.decrappify.image.Json;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.decrappify.image.Calibration;
import io.github.decrappify.image.StackShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * OME-Zarr (OME-NGFF 0.4 on Zarr v2) images: the full-resolution array of a multiscale group, its
 * axes and physical pixel sizes.
 *
 * <p><b>Reading</b> ({@link #open}): a group whose {@code .zattrs} has {@code multiscales} (the first
 * multiscale, its first dataset = full resolution; axes any of t, c, z, y, x in NGFF order; scale =
 * the dataset's scale times the multiscale's own), or a bare Zarr array (axes from its rank: yx, zyx,
 * czyx, tczyx). <b>Writing</b> ({@link #create}): a group with one 5D array {@code 0} (t, c, z, y, x)
 * and NGFF 0.4 multiscale metadata with units and scales from a {@link Calibration}.
 *
 * <pre>{@code
 * OmeZarr img = OmeZarr.open(Path.of("volume.ome.zarr"));
 * StackShape shape = img.shape();       // X, Y, C, Z, T and bit depth
 * float[] plane = img.readWindow(0, 10, 0, 0, 0, shape.width(), shape.height());
 * }</pre>
 */
public final class OmeZarr {

    /** Name of the full-resolution dataset this project writes. */
    public static final String LEVEL0 = "0";
    public static final String NGFF_VERSION = "0.4";

    private static final Map<String, String> TO_NGFF = Map.ofEntries(Map.entry("micron", "micrometer"),
            Map.entry("microns", "micrometer"), Map.entry("µm", "micrometer"), Map.entry("um", "micrometer"),
            Map.entry("\u03bcm", "micrometer"), Map.entry("nm", "nanometer"), Map.entry("mm", "millimeter"),
            Map.entry("cm", "centimeter"), Map.entry("m", "meter"), Map.entry("pm", "picometer"),
            Map.entry("\u00c5", "angstrom"), Map.entry("A", "angstrom"), Map.entry("sec", "second"),
            Map.entry("s", "second"), Map.entry("ms", "millisecond"), Map.entry("msec", "millisecond"),
            Map.entry("min", "minute"), Map.entry("h", "hour"), Map.entry("hr", "hour"));
    private static final Map<String, String> FROM_NGFF = Map.of("micrometer", "micron", "nanometer", "nm",
            "millimeter", "mm", "centimeter", "cm", "meter", "m", "picometer", "pm", "angstrom", "\u00c5", "second",
            "sec", "millisecond", "ms", "minute", "min");

    private final Path root;
    private final ZarrArray array;
    /** Position of t, c, z, y, x in the array's dimensions; -1 when absent. */
    private final int[] axisIndex;
    private final StackShape shape;
    private final Calibration calibration;

    private OmeZarr(Path root, ZarrArray array, int[] axisIndex, Calibration calibration) throws IOException {
        this.root = root;
        this.array = array;
        this.axisIndex = axisIndex;
        long[] s = array.shape();
        long[] size = new long[5];
        for (int a = 0; a < 5; a++) {
            size[a] = axisIndex[a] < 0 ? 1 : s[axisIndex[a]];
        }
        if (size[3] > Integer.MAX_VALUE || size[4] > Integer.MAX_VALUE || size[0] > Integer.MAX_VALUE
                || size[1] > Integer.MAX_VALUE || size[2] > Integer.MAX_VALUE
                || size[0] * size[1] * size[2] > Integer.MAX_VALUE) { // each below 2^31: the product fits a long
            throw new IOException(root + ": dimensions " + Arrays.toString(s) + " are too large for one image");
        }
        this.shape = new StackShape((int) size[4], (int) size[3], (int) size[1], (int) size[2], (int) size[0],
                array.type().bitDepth());
        this.calibration = calibration;
    }

    /** True for a folder holding Zarr metadata ({@code .zattrs}, {@code .zgroup} or {@code .zarray}). */
    public static boolean isZarr(Path p) {
        return Files.isDirectory(p) && (Files.isRegularFile(p.resolve(".zgroup")) || Files.isRegularFile(p.resolve(".zarray"))
                || Files.isRegularFile(p.resolve(".zattrs")));
    }

    /** True when the path names an OME-Zarr by its extension ({@code .zarr}, {@code .ome.zarr}), existing or not. */
    public static boolean hasZarrName(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.endsWith(".zarr");
    }

    /**
     * Opens the full-resolution image of an OME-Zarr group or a bare Zarr array.
     *
     * @throws IOException with a one-line reason when the folder is not a readable, supported OME-Zarr
     */
    public static OmeZarr open(Path path) throws IOException {
        Path root = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IOException((Files.exists(root) ? root + " is a file, not an OME-Zarr folder" : "OME-Zarr not found: " + root));
        }
        if (Files.isRegularFile(root.resolve(ZarrArray.METADATA))) {
            ZarrArray a = ZarrArray.open(root);
            return new OmeZarr(root, a, defaultAxes(a.rank(), root), Calibration.UNCALIBRATED);
        }
        Path container = ZarrArray.realContainer(root);
        ZarrArray.requireInside(root.resolve(".zattrs"), container, "metadata");
        JsonObject attrs;
        try {
            attrs = Json.read(root.resolve(".zattrs")).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new IOException(root + " has no .zattrs or .zarray: not an OME-Zarr image", e);
        } catch (RuntimeException e) {
            throw new IOException(root.resolve(".zattrs") + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!attrs.has("multiscales")) {
            throw new IOException(root + " is a Zarr group without OME 'multiscales' metadata (a plate or a "
                    + "collection?); give the path of one image inside it");
        }
        try {
            JsonObject ms = attrs.getAsJsonArray("multiscales").get(0).getAsJsonObject();
            JsonObject dataset = ms.getAsJsonArray("datasets").get(0).getAsJsonObject();
            ZarrArray a = ZarrArray.open(datasetFolder(root, container, dataset.get("path")), root);
            String[] names = new String[a.rank()];
            String[] units = new String[a.rank()];
            if (ms.has("axes")) {
                JsonArray axes = ms.getAsJsonArray("axes");
                if (axes.size() != a.rank()) {
                    throw new IOException(root + ": " + axes.size() + " axes for a " + a.rank() + "-dimensional array");
                }
                for (int d = 0; d < names.length; d++) {
                    JsonElement ax = axes.get(d);
                    names[d] = ax.isJsonObject() ? ax.getAsJsonObject().get("name").getAsString() : ax.getAsString();
                    units[d] = ax.isJsonObject() && ax.getAsJsonObject().has("unit")
                            ? ax.getAsJsonObject().get("unit").getAsString() : null;
                }
            } else {
                String[] defaults = {"t", "c", "z", "y", "x"};
                System.arraycopy(defaults, 5 - names.length, names, 0, names.length);
            }
            int[] index = axisIndex(names, root);
            double[] scale = new double[a.rank()];
            Arrays.fill(scale, 1);
            multiplyScales(scale, dataset.get("coordinateTransformations"));
            multiplyScales(scale, ms.get("coordinateTransformations"));
            return new OmeZarr(root, a, index, calibration(index, scale, units));
        } catch (IllegalStateException | NullPointerException | ClassCastException | IndexOutOfBoundsException e) {
            throw new IOException(root + ": malformed OME-Zarr multiscales metadata (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The folder named by {@code multiscales[0].datasets[0].path}: a relative path inside the image folder
     * (no {@code ..}, not absolute, no symbolic link leading elsewhere).
     */
    private static Path datasetFolder(Path root, Path container, JsonElement value) throws IOException {
        String field = root.resolve(".zattrs") + ": multiscales[0].datasets[0].path";
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new IOException(field + " is missing or not a string");
        }
        String text = value.getAsString();
        String shown = "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text).replaceAll("\\p{Cntrl}", "?") + "'";
        if (text.isEmpty() || text.startsWith("/") || text.startsWith("\\") || text.indexOf('\0') >= 0) {
            throw new IOException(field + " " + shown + " must be a non-empty relative path inside the image folder");
        }
        for (String segment : text.split("[/\\\\]")) {
            if (segment.equals("..")) {
                throw new IOException(field + " " + shown + " uses '..' to leave the image folder; dataset paths must"
                        + " stay inside it");
            }
        }
        Path dir;
        try {
            Path relative = Path.of(text);
            if (relative.isAbsolute()) {
                throw new IOException(field + " " + shown + " is absolute; dataset paths must be relative to the image folder");
            }
            dir = root.resolve(relative).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IOException(field + " " + shown + " is not a valid path", e);
        }
        if (!dir.startsWith(root) || dir.equals(root)) {
            throw new IOException(field + " " + shown + " must name a folder inside the image folder");
        }
        Path escaped = ZarrArray.outside(dir, container);
        if (escaped != null) {
            throw new IOException(field + " " + shown + " leads outside the image folder through a symbolic link (to "
                    + escaped + ")");
        }
        return dir;
    }

    private static int[] defaultAxes(int rank, Path root) throws IOException {
        return switch (rank) {
            case 2 -> new int[] {-1, -1, -1, 0, 1};
            case 3 -> new int[] {-1, -1, 0, 1, 2};
            case 4 -> new int[] {-1, 0, 1, 2, 3};
            case 5 -> new int[] {0, 1, 2, 3, 4};
            default -> throw new IOException(root + ": a " + rank + "-dimensional array is not an image (2 to 5 dimensions)");
        };
    }

    private static int[] axisIndex(String[] names, Path root) throws IOException {
        int[] index = {-1, -1, -1, -1, -1};
        String order = "tczyx";
        int previous = -1;
        for (int d = 0; d < names.length; d++) {
            int a = order.indexOf(names[d].toLowerCase(Locale.ROOT));
            if (a < 0 || index[a] >= 0 || a < previous) {
                throw new IOException(root + ": unsupported axes " + Arrays.toString(names) + " (need a subset of t, c, z, y, x in that order)");
            }
            index[a] = d;
            previous = a;
        }
        if (index[3] < 0 || index[4] < 0) {
            throw new IOException(root + ": axes " + Arrays.toString(names) + " lack y or x");
        }
        return index;
    }

    private static void multiplyScales(double[] scale, JsonElement transforms) {
        if (transforms == null || transforms.isJsonNull()) {
            return;
        }
        for (JsonElement t : transforms.getAsJsonArray()) {
            JsonObject o = t.getAsJsonObject();
            if ("scale".equals(o.get("type").getAsString()) && o.has("scale")) {
                JsonArray s = o.getAsJsonArray("scale");
                for (int d = 0; d < scale.length && d < s.size(); d++) {
                    scale[d] *= s.get(d).getAsDouble();
                }
            }
        }
    }

    private static Calibration calibration(int[] index, double[] scale, String[] units) {
        String unit = units[index[4]];
        if (unit == null) {
            return new Calibration(scale[index[4]], scale[index[3]], index[2] < 0 ? 1 : scale[index[2]], "pixel",
                    0, "sec");
        }
        String t = index[0] >= 0 && units[index[0]] != null ? FROM_NGFF.getOrDefault(units[index[0]], units[index[0]]) : "sec";
        return new Calibration(scale[index[4]], scale[index[3]], index[2] < 0 ? 1 : scale[index[2]],
                FROM_NGFF.getOrDefault(unit, unit), index[0] < 0 || units[index[0]] == null ? 0 : scale[index[0]], t);
    }

    /**
     * Creates an OME-Zarr group at {@code root} with one 5D (t, c, z, y, x) array {@code 0} for a stack of
     * {@code shape}: NGFF 0.4 axes with units, the calibration as scales, and {@code extra} (e.g.
     * provenance) merged into {@code .zattrs}. Chunks are written later through {@link #array()}.
     *
     * @param chunkZyx chunk size along z, y and x (t and c chunks are 1)
     */
    public static OmeZarr create(Path root, StackShape shape, Calibration cal, int[] chunkZyx, ZarrCompressor compressor,
            String name, JsonObject extra) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        JsonObject group = new JsonObject();
        group.addProperty("zarr_format", 2);
        Json.writeAtomically(dir.resolve(".zgroup"), group);
        long[] arrayShape = {shape.frames(), shape.channels(), shape.slices(), shape.height(), shape.width()};
        int[] chunks = {1, 1, Math.min(chunkZyx[0], shape.slices()), Math.min(chunkZyx[1], shape.height()),
                Math.min(chunkZyx[2], shape.width())};
        ZarrArray a = ZarrArray.create(dir.resolve(LEVEL0), arrayShape, chunks, ZarrDataType.forBitDepth(shape.bitDepth()),
                compressor, "/");
        JsonObject attrs = extra == null ? new JsonObject() : extra.deepCopy();
        attrs.add("multiscales", multiscales(cal, name));
        Json.writeAtomically(dir.resolve(".zattrs"), attrs);
        return open(dir);
    }

    private static JsonArray multiscales(Calibration cal, String name) {
        String space = cal.isCalibrated() ? TO_NGFF.getOrDefault(cal.unit(), cal.unit()) : null;
        String time = cal.frameInterval() != 0 ? TO_NGFF.getOrDefault(cal.timeUnit(), cal.timeUnit()) : null;
        JsonArray axes = new JsonArray();
        axes.add(axis("t", "time", time));
        axes.add(axis("c", "channel", null));
        axes.add(axis("z", "space", space));
        axes.add(axis("y", "space", space));
        axes.add(axis("x", "space", space));
        JsonObject scale = new JsonObject();
        scale.addProperty("type", "scale");
        scale.add("scale", Json.array(new double[] {cal.frameInterval() != 0 ? cal.frameInterval() : 1, 1,
                cal.pixelDepth() > 0 ? cal.pixelDepth() : 1, cal.pixelHeight(), cal.pixelWidth()}));
        JsonArray transforms = new JsonArray();
        transforms.add(scale);
        JsonObject dataset = new JsonObject();
        dataset.addProperty("path", LEVEL0);
        dataset.add("coordinateTransformations", transforms);
        JsonArray datasets = new JsonArray();
        datasets.add(dataset);
        JsonObject ms = new JsonObject();
        ms.addProperty("version", NGFF_VERSION);
        ms.addProperty("name", name);
        ms.add("axes", axes);
        ms.add("datasets", datasets);
        JsonArray list = new JsonArray();
        list.add(ms);
        return list;
    }

    private static JsonObject axis(String name, String type, String unit) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("type", type);
        if (unit != null) {
            o.addProperty("unit", unit);
        }
        return o;
    }

    /**
     * Refuses {@code path} when it, or its nearest existing ancestor, lies outside {@code folder} once
     * symbolic links are followed: for files about to be written inside an output (a link planted in an
     * existing output must not redirect a write elsewhere).
     *
     * @throws IOException naming the path, the folder and where the path really leads
     */
    public static void requireInside(Path path, Path folder) throws IOException {
        Path container = ZarrArray.realContainer(folder);
        Path p = path.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            p = p.getParent();
        }
        if (p != null) {
            ZarrArray.requireInside(p, container, "path");
        }
    }

    public Path root() {
        return root;
    }

    /** The full-resolution array. */
    public ZarrArray array() {
        return array;
    }

    public StackShape shape() {
        return shape;
    }

    public Calibration calibration() {
        return calibration;
    }

    /** Positions of t, c, z, y, x among the array's dimensions (-1: absent). */
    int[] axisIndexes() {
        return axisIndex.clone();
    }

    /** Chunk size of the full-resolution array along x, y and z (1 for an absent axis). */
    public int[] chunkXyz() {
        int[] c = array.chunks();
        return new int[] {c[axisIndex[4]], c[axisIndex[3]], axisIndex[2] < 0 ? 1 : c[axisIndex[2]]};
    }

    /**
     * Reads a w×h window at (x, y) of plane (c, z, t), 0-based, as row-major floats.
     */
    public float[] readWindow(int c, int z, int t, int x, int y, int w, int h) throws IOException {
        long[] offset = new long[array.rank()];
        int[] size = new int[array.rank()];
        int[] pos = {t, c, z, y, x};
        int[] len = {1, 1, 1, h, w};
        for (int a = 0; a < 5; a++) {
            if (axisIndex[a] >= 0) {
                offset[axisIndex[a]] = pos[a];
                size[axisIndex[a]] = len[a];
            } else if (pos[a] != 0) {
                throw new IndexOutOfBoundsException("axis " + "tczyx".charAt(a) + " absent, position " + pos[a]);
            }
        }
        return array.readRegion(offset, size);
    }

    /** The chunk index of this project's 5D output array for chunk (zc, yc, xc) of plane group (c, t). */
    public static long[] chunkIndex(int t, int c, long zc, long yc, long xc) {
        return new long[] {t, c, zc, yc, xc};
    }
}
