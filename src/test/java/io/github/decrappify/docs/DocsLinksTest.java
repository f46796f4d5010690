package io.github.decrappify.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every image and relative link of README.md and docs/*.md exists, anchors included. */
class DocsLinksTest {

    @Test
    void everyLinkImageAndAnchorOfTheUserDocsExists() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        List<Path> pages = DocLinks.userDocs(root);
        assertTrue(pages.size() >= 10, "README.md and the docs/ pages: " + pages);
        List<String> problems = new DocLinks(root).problems(pages);
        assertTrue(problems.isEmpty(), "broken references in the documentation:\n  " + String.join("\n  ", problems));
    }

    @Test
    void brokenLinksImagesAndAnchorsAreReported(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("docs/img"));
        Files.write(repo.resolve("docs/img/ok.png"), new byte[10]);
        Files.write(repo.resolve("docs/img/huge.png"), new byte[(int) DocLinks.MAX_IMAGE_BYTES + 1]);
        Files.writeString(repo.resolve("docs/page.md"), """
                # A page
                ## `restore --qc`: a map (QC, …)
                <a id="custom"></a>
                ## Again
                ## Again
                """);
        Files.writeString(repo.resolve("README.md"), """
                # Top
                [fine](docs/page.md) [fine](docs/page.md#restore---qc-a-map-qc-) [fine](docs/page.md#custom)
                [second heading of the same name](docs/page.md#again-1) [self](#top) ![ok](docs/img/ok.png)
                <img src="docs/img/ok.png" width="200"> [web](https://example.org/x) [folder](docs/img/)
                `[in code](missing-in-code.md)`
                ```
                ![in a fence](missing-in-fence.png)
                ```
                [gone](docs/nothing.md) ![gone](docs/img/none.png) [no anchor](docs/page.md#nope)
                ![too big](docs/img/huge.png) <img src="docs/img/missing.png"> [outside](../elsewhere/x.md)
                [self anchor](#nowhere)
                """);
        List<String> problems = new DocLinks(repo).problems(DocLinks.userDocs(repo));
        assertEquals(List.of(
                "README.md: link docs/nothing.md: no such file",
                "README.md: image docs/img/none.png: no such file",
                "README.md: link docs/page.md#nope: no heading or <a id> 'nope' in docs/page.md",
                "README.md: image docs/img/huge.png: 409601 bytes, more than the 409600 a picture in the guide may have",
                "README.md: link ../elsewhere/x.md: points outside the repository (a clone does not have it)",
                "README.md: link #nowhere: no heading or <a id> 'nowhere' in README.md",
                "README.md: image docs/img/missing.png: no such file"), problems);
    }

    @Test
    void slugsFollowGitHub() {
        assertEquals("restore---qc-a-data-consistency-map", DocLinks.slug("`restore --qc`: a data-consistency map"));
        assertEquals("fine-tune-a-model-on-your-own-images-nogan", DocLinks.slug("Fine-tune a model on your own images (NoGAN)"));
        assertEquals("install-in-fiji", DocLinks.slug("Install [in Fiji](x.md)"));
    }
}
