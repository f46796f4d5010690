package io.github.decrappify.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the links of the user documentation (README.md and docs/**.md) the way a reader meets them
 * on GitHub: every relative link and image must name a file or folder inside the repository, every
 * {@code #anchor} a heading (GitHub's slugs) or an explicit {@code <a id>} of its target page, and
 * pictures under docs/ must stay small. Links in code (fenced blocks, inline spans) are text, not
 * links; absolute URLs are not followed (nothing here reaches the network).
 */
final class DocLinks {

    /** Pictures under docs/ above this size are refused: the guide must stay light to clone and read. */
    static final long MAX_IMAGE_BYTES = 400 * 1024;

    private static final Pattern FENCE = Pattern.compile("(?m)^ {0,3}(```|~~~).*?^ {0,3}\\1[^\\n]*$", Pattern.DOTALL);
    private static final Pattern INLINE_CODE = Pattern.compile("(`+)(?s).+?\\1");
    private static final Pattern MD_LINK = Pattern.compile("(!?)\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HTML_REF = Pattern.compile("<(img|a)\\b[^>]*?\\b(src|href)\\s*=\\s*\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern HTML_ID = Pattern.compile("<a\\b[^>]*?\\b(?:id|name)\\s*=\\s*\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADING = Pattern.compile("(?m)^ {0,3}#{1,6}[ \\t]+(.*?)[ \\t#]*$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private final Path root;
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    DocLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** README.md and every .md under docs/, sorted: the pages a user reads. */
    static List<Path> userDocs(Path root) {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> walk = Files.walk(docs)) {
                walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pages;
    }

    /** One line per broken link, image or anchor in {@code pages}, naming the page and the target. */
    List<String> problems(List<Path> pages) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path page : pages) {
            Path file = page.toAbsolutePath().normalize();
            String text = withoutCode(Files.readString(file));
            List<String[]> refs = new ArrayList<>(); // {kind, target}
            Matcher m = MD_LINK.matcher(text);
            while (m.find()) {
                refs.add(new String[] {m.group(1).isEmpty() ? "link" : "image", m.group(2)});
            }
            Matcher h = HTML_REF.matcher(text);
            while (h.find()) {
                refs.add(new String[] {h.group(1).equalsIgnoreCase("img") ? "image" : "link", h.group(3)});
            }
            for (String[] ref : refs) {
                String problem = check(file, ref[0], ref[1]);
                if (problem != null) {
                    problems.add(root.relativize(file) + ": " + ref[0] + " " + ref[1] + ": " + problem);
                }
            }
        }
        return problems;
    }

    private String check(Path page, String kind, String target) throws IOException {
        if (SCHEME.matcher(target).find() || target.startsWith("//")) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            return "points outside the repository (a clone does not have it)";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (kind.equals("image")) {
            if (!Files.isRegularFile(resolved)) {
                return "not a file";
            }
            long size = Files.size(resolved);
            if (resolved.startsWith(root.resolve("docs")) && size > MAX_IMAGE_BYTES) {
                return size + " bytes, more than the " + MAX_IMAGE_BYTES + " a picture in the guide may have";
            }
        }
        if (anchor != null && !anchor.isEmpty()) {
            if (!resolved.toString().endsWith(".md")) {
                return "an anchor into a file that is not a Markdown page";
            }
            if (!anchorsOf(resolved).contains(anchor)) {
                return "no heading or <a id> '" + anchor + "' in " + root.relativize(resolved);
            }
        }
        return null;
    }

    private Set<String> anchorsOf(Path page) throws IOException {
        Set<String> known = anchors.get(page);
        if (known == null) {
            String text = withoutCode(Files.readString(page), true);
            known = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            Matcher m = HEADING.matcher(text);
            while (m.find()) {
                String slug = slug(m.group(1));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                known.add(n == 0 ? slug : slug + "-" + n);
            }
            Matcher a = HTML_ID.matcher(text);
            while (a.find()) {
                known.add(a.group(1));
            }
            anchors.put(page, known);
        }
        return known;
    }

    /**
     * GitHub's heading anchor: lower case, markup and punctuation dropped (letters, digits, spaces,
     * hyphens and underscores kept), each space a hyphen.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "").toLowerCase(java.util.Locale.ROOT);
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == ' ') {
                b.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private static String withoutCode(String markdown) {
        return withoutCode(markdown, false);
    }

    /** Code is not markup: fenced blocks go; inline spans go, or keep their text (for headings' slugs). */
    private static String withoutCode(String markdown, boolean keepInlineText) {
        String noFences = FENCE.matcher(markdown).replaceAll("");
        if (keepInlineText) {
            return INLINE_CODE.matcher(noFences).replaceAll(r -> Matcher.quoteReplacement(
                    r.group().substring(r.group(1).length(), r.group().length() - r.group(1).length())));
        }
        return INLINE_CODE.matcher(noFences).replaceAll("");
    }
}
