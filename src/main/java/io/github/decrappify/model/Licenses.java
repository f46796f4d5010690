package io.github.decrappify.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The licence identifiers a bioimage.io model description may carry: SPDX identifiers only (the
 * specification's schema has no {@code LicenseRef-}). Commands that export a bundle check the licence
 * before the work, so a long training never ends in a bundle other tools reject.
 */
public final class Licenses {

    private static final String RESOURCE = "spdx-licenses.txt";
    private static Set<String> ids;

    private Licenses() {}

    /** Whether {@code id} is an SPDX identifier bioimage.io accepts (exact spelling, case-sensitive). */
    public static boolean isSpdx(String id) {
        return id != null && ids().contains(id);
    }

    /**
     * Checks a licence given by the user.
     *
     * @throws IllegalArgumentException with a one-line reason and what to do instead
     */
    public static void requireSpdx(String id) {
        if (isSpdx(id)) {
            return;
        }
        String close = id == null ? null : ids().stream().filter(s -> s.equalsIgnoreCase(id)).findFirst().orElse(null);
        throw new IllegalArgumentException("license '" + id + "' is not an SPDX licence identifier"
                + (close != null ? " (did you mean " + close + "?)"
                        : "; bioimage.io accepts SPDX identifiers only: for data under its own terms (e.g. research"
                                + " use with citation) pick the SPDX licence that matches them, such as CC-BY-NC-4.0,"
                                + " and state the terms in the data note"));
    }

    private static synchronized Set<String> ids() {
        if (ids == null) {
            Set<String> read = new LinkedHashSet<>();
            try (InputStream in = Licenses.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the class path lacks " + RESOURCE + " beside " + Licenses.class.getName());
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        read.add(line.strip());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ids = Set.copyOf(read);
        }
        return ids;
    }
}
