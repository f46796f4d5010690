package io.github.decrappify.qc;

import io.github.decrappify.image.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The per-plane scores of a data-consistency check over a stack: what {@code restore --qc} writes
 * beside the map as CSV ({@code c,z,t,rse,rsp,gain,offset}, 1-based positions) and summarises in its log.
 */
public final class QcTable {

    /** One plane's scores; positions are 0-based here and 1-based in the CSV, as ImageJ shows them. */
    public record Row(int c, int z, int t, double rse, double rsp, double gain, double offset) {
        public static Row of(int c, int z, int t, DataConsistency.Result r) {
            return new Row(c, z, t, r.rse(), r.rsp(), r.gain(), r.offset());
        }

        /** "RSE 3.2 RSP 0.981" for slice labels and logs. */
        public String label() {
            return String.format(Locale.ROOT, "RSE %.4g RSP %.4f", rse, rsp);
        }
    }

    private final List<Row> rows = new ArrayList<>();

    public synchronized void add(Row row) {
        rows.add(row);
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    public synchronized boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Mean RSE over the planes (NaN when empty). */
    public synchronized double meanRse() {
        return rows.stream().mapToDouble(Row::rse).average().orElse(Double.NaN);
    }

    /** Mean RSP over the planes with a defined RSP (NaN when none). */
    public synchronized double meanRsp() {
        return rows.stream().mapToDouble(Row::rsp).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** The plane with the lowest RSP: where to look first. */
    public synchronized Row worst() {
        return rows.stream().filter(r -> Double.isFinite(r.rsp())).min(Comparator.comparingDouble(Row::rsp))
                .orElse(rows.isEmpty() ? null : rows.get(0));
    }

    /** "RSE 3.21 (input units), RSP 0.981 over 12 planes; lowest RSP 0.95 at c1 z4 t1". */
    public synchronized String summary() {
        if (rows.isEmpty()) {
            return "no planes checked";
        }
        String s = String.format(Locale.ROOT, "RSE %.4g (input units), RSP %.4f", meanRse(), meanRsp());
        if (rows.size() == 1) {
            return s;
        }
        Row w = worst();
        return s + String.format(Locale.ROOT, " (means over %d planes); lowest RSP %.4f at c%d z%d t%d", rows.size(), w.rsp(),
                w.c() + 1, w.z() + 1, w.t() + 1);
    }

    public synchronized String csv() {
        StringBuilder sb = new StringBuilder("c,z,t,rse,rsp,gain,offset\n");
        List<Row> sorted = new ArrayList<>(rows);
        Collections.sort(sorted, Comparator.comparingInt(Row::t).thenComparingInt(Row::z).thenComparingInt(Row::c));
        for (Row r : sorted) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%d,%.6g,%.6f,%.6g,%.6g%n", r.c() + 1, r.z() + 1, r.t() + 1, r.rse(),
                    r.rsp(), r.gain(), r.offset()));
        }
        return sb.toString();
    }

    /** Writes {@link #csv()} to {@code file} through a temporary file and an atomic rename. */
    public void writeCsv(Path file) throws IOException {
        AtomicFiles.writeString(file, csv());
    }

    /** The CSV that goes with a QC map: same folder and base name, {@code .csv}. */
    public static Path csvFor(Path map) {
        String name = map.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return map.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".csv");
    }
}
