package io.github.decrappify.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs real LR (noisy) inputs with their HR (clean) targets by file name. Several inputs may share
 * one target, as in repeated acquisitions of one field: {@code fov11_raw0.png … fov11_raw49.png} all
 * pair with {@code fov11_gt_avg50.png}.
 *
 * <p>The rule ({@link #RULE}, also in {@code train --help}): names are compared without their extension,
 * as parts separated by {@code _ - .} or spaces. An input pairs with the target of the same name; else
 * with the target that shares the most leading parts with it. Stopped with a one-line error naming the
 * file: an input sharing no leading part with any target, two targets equally close, one target
 * reached by inputs through different prefixes (e.g. {@code a_noisy} and {@code a_b_noisy} both
 * landing on {@code a_b_clean}: a target is missing), and a target no input reaches.
 */
public final class PairMatcher {

    /** The matching rule in one sentence, for help texts. */
    public static final String RULE = "Names are compared without extension as parts split at _ - . or space: an LR"
            + " file pairs with the HR file of the same name, else with the HR file sharing the most leading parts"
            + " (fov11_raw0..49.png -> fov11_gt_avg50.png); several LR files may share one HR file.";

    /** One target and the inputs that pair with it, in name order. */
    public record Match(Path target, List<Path> inputs) {}

    private PairMatcher() {}

    /**
     * @param targets HR files (any order; the result keeps it)
     * @param inputs  LR files
     * @throws TrainingException naming the first file that breaks the rule
     */
    public static List<Match> match(List<Path> targets, List<Path> inputs) throws TrainingException {
        List<String[]> targetParts = new ArrayList<>();
        for (Path t : targets) {
            targetParts.add(parts(t));
        }
        Map<Path, List<Path>> byTarget = new LinkedHashMap<>();
        Map<Path, Integer> prefixOf = new LinkedHashMap<>();
        Map<Path, Path> firstInputOf = new LinkedHashMap<>();
        targets.forEach(t -> byTarget.put(t, new ArrayList<>()));
        for (Path in : inputs) {
            String[] ip = parts(in);
            int best = 0;
            int bestIndex = -1;
            boolean tie = false;
            for (int i = 0; i < targets.size(); i++) {
                String[] tp = targetParts.get(i);
                int common = score(ip, tp);
                if (common > best) {
                    best = common;
                    bestIndex = i;
                    tie = false;
                } else if (common == best && common > 0) {
                    tie = true;
                }
            }
            if (bestIndex < 0) {
                throw new TrainingException("LR " + in.getFileName() + " matches no HR file by name: " + hint());
            }
            Path target = targets.get(bestIndex);
            if (tie) {
                Path other = null;
                for (int i = 0; i < targets.size(); i++) {
                    if (i != bestIndex && score(ip, targetParts.get(i)) == best) {
                        other = targets.get(i);
                        break;
                    }
                }
                throw new TrainingException("LR " + in.getFileName() + " matches both HR " + target.getFileName() + " and "
                        + other.getFileName() + " equally; rename one so that " + hint());
            }
            int prefix = best == Integer.MAX_VALUE ? ip.length : best;
            Integer seen = prefixOf.putIfAbsent(target, prefix);
            if (seen != null && seen != prefix) {
                throw new TrainingException("LR " + firstInputOf.get(target).getFileName() + " and " + in.getFileName()
                        + " both pair with HR " + target.getFileName() + " but through different name prefixes ('"
                        + join(targetParts.get(bestIndex), Math.min(seen, prefix)) + "' vs '"
                        + join(targetParts.get(bestIndex), Math.max(seen, prefix))
                        + "'): add the missing HR file or rename the LR files");
            }
            firstInputOf.putIfAbsent(target, in);
            byTarget.get(target).add(in);
        }
        List<Match> out = new ArrayList<>();
        for (Map.Entry<Path, List<Path>> e : byTarget.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new TrainingException("HR " + e.getKey().getFileName() + " has no LR partner: " + hint()
                        + "; add its LR files or remove it");
            }
            out.add(new Match(e.getKey(), List.copyOf(e.getValue())));
        }
        return out;
    }

    private static String hint() {
        return "an LR file pairs with the HR file of the same name or sharing the most leading name parts"
                + " (split at _ - . or space)";
    }

    /** Name without extension, split into parts at {@code _ - .} and spaces. */
    static String[] parts(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        if (dot > 0) {
            n = n.substring(0, dot);
        }
        return n.split("[_\\-. ]+", -1);
    }

    /** Leading parts in common; the same name outranks any prefix. */
    private static int score(String[] a, String[] b) {
        return Arrays.equals(a, b) ? Integer.MAX_VALUE : common(a, b);
    }

    private static int common(String[] a, String[] b) {
        int n = 0;
        while (n < a.length && n < b.length && !a[n].isEmpty() && a[n].equals(b[n])) {
            n++;
        }
        return n;
    }

    private static String join(String[] p, int n) {
        return String.join("_", Arrays.copyOf(p, Math.min(n, p.length)));
    }
}
