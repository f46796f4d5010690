package io.github.decrappify.model;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bioimage.io specification's own JSON Schema ({@code ../shared/spec/bioimageio_schema.json}, draft
 * 2020-12), narrowed to model descriptions of format 0.5, as a test oracle for {@code rdf.yaml} files.
 * The YAML is loaded as bioimage.io's tools load it (dates as ISO strings) and checked with the
 * networknt validator; each error is one line: the instance path and the validator's message.
 */
public final class BioimageIoSchema {

    static final String MODEL_0_5 = "bioimageio__spec__model__v0_5__ModelDescr";

    private static Schema schema;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BioimageIoSchema() {}

    /** The schema file beside the repository, as in CI. */
    static Path file() {
        return Path.of(System.getProperty("decrappify.shared", "../shared"), "spec", "bioimageio_schema.json");
    }

    private static synchronized Schema schema() throws IOException {
        if (schema == null) {
            ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(file(), StandardCharsets.UTF_8));
            // The root accepts every resource type (oneOf + discriminator); a model bundle must be a 0.5 model.
            root.remove("oneOf");
            root.remove("discriminator");
            root.put("$ref", "#/$defs/" + MODEL_0_5);
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(JSON.writeValueAsString(root), InputFormat.JSON);
        }
        return schema;
    }

    /** The schema errors of one {@code rdf.yaml} (empty: valid). */
    public static List<String> errors(Path rdfYaml) throws IOException {
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(rdfYaml, StandardCharsets.UTF_8));
        JsonNode node = JSON.valueToTree(isoDates(tree));
        return schema().validate(node).stream().map(BioimageIoSchema::line).toList();
    }

    private static String line(Error e) {
        String m = e.getMessage();
        return e.getInstanceLocation() + ": " + (m.length() > 200 ? m.substring(0, 200) + "..." : m);
    }

    /**
     * Asserts what bioimage.io asks of a published model beyond the schema: 0 schema errors; a cover of
     * aspect 2:1 or 1:1 and at most 500 kB; tags; maintainers; the output halo declared on both space
     * axes as the bundle's halo in output pixels (what deepImageJ and JDLL crop from tiles).
     */
    public static void assertPublishable(Path bundle) throws IOException {
        Map<String, Object> root = assertValid(bundle);
        org.junit.jupiter.api.Assertions.assertFalse(((List<?>) root.getOrDefault("maintainers", List.of())).isEmpty(),
                "maintainers");
    }

    /**
     * {@link #assertPublishable} except maintainers (a fine-tuned model keeps its base model's authors,
     * who may have no GitHub user); returns the description's tree.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> assertValid(Path bundle) throws IOException {
        Path rdf = bundle.resolve("rdf.yaml");
        List<String> errors = errors(rdf);
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), errors, bundle + " against the bioimage.io schema");
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(rdf));
        List<String> covers = (List<String>) root.get("covers");
        org.junit.jupiter.api.Assertions.assertFalse(covers == null || covers.isEmpty(), "covers");
        for (String c : covers) {
            Path cover = bundle.resolve(c);
            org.junit.jupiter.api.Assertions.assertTrue(Files.size(cover) <= 500_000, c + " is " + Files.size(cover) + " bytes");
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(cover.toFile());
            double aspect = img.getWidth() / (double) img.getHeight();
            org.junit.jupiter.api.Assertions.assertTrue(aspect == 1 || aspect == 2,
                    c + " is " + img.getWidth() + "x" + img.getHeight() + "; bioimage.io asks for 2:1 or 1:1");
        }
        org.junit.jupiter.api.Assertions.assertFalse(((List<?>) root.getOrDefault("tags", List.of())).isEmpty(), "tags");
        Map<String, Object> cfg = (Map<String, Object>) ((Map<String, Object>) root.get("config")).get("decrappify");
        int halo = ((Number) cfg.get("halo")).intValue() * ((Number) cfg.get("scale")).intValue();
        List<Map<String, Object>> axes = (List<Map<String, Object>>) ((List<Map<String, Object>>) root.get("outputs")).get(0).get("axes");
        for (Map<String, Object> axis : axes) {
            if ("space".equals(axis.get("type"))) {
                org.junit.jupiter.api.Assertions.assertEquals(halo, axis.get("halo"), "output halo of axis " + axis.get("id"));
            }
        }
        return root;
    }

    /** YAML timestamps become ISO-8601 strings, as JSON has no dates. */
    private static Object isoDates(Object value) {
        if (value instanceof Date d) {
            return d.toInstant().toString();
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), isoDates(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(BioimageIoSchema::isoDates).toList();
        }
        return value;
    }
}
