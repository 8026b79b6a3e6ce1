package io.diveteacher.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(DocumentFilesController.class)
@AutoConfigureMockMvc(addFilters = false)
@Import(DocumentFilesControllerTests.Cache.class)
class DocumentFilesControllerTests {

    static final Path WORK = temporaryDirectory();

    @TestConfiguration
    static class Cache {
        @Bean
        PageImageCache pageImageCache() {
            return new PageImageCache(new GraphProperties(null, "neo4j", null, null, WORK.resolve("pages"), 3, null, 500, 2000, null));
        }
    }

    @Autowired
    MockMvcTester mvc;

    @Autowired
    PageImageCache cache;

    @MockitoBean
    DocumentCatalog catalog;

    Path pdf;

    @BeforeEach
    void aDocument() throws IOException {
        pdf = WORK.resolve("plongée niveau 1.pdf");
        Files.copy(Path.of("samples/nitrox-basics.pdf"), pdf, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        given(catalog.find("d1")).willReturn(Optional.of(document(pdf, Files.size(pdf))));
    }

    static StoredDocument document(Path path, long size) {
        return new StoredDocument("d1", path.toString(), path.getFileName().toString(), "Nitrox Basics", "c0ffee", size,
                DocumentStatus.INGESTED, null, 2, 2, 20, 0, 0, List.of(), "e", "m", null);
    }

    @Test
    void aPageIsAPngWithTheNumberAndPlaceOfItsHighlights() {
        var result = mvc.get().uri("/api/documents/d1/pages/1/image?dpi=72&highlight={h}",
                "Nitrox does not make diving deeper safer.").exchange();

        assertThat(result).hasStatusOk().hasContentType(MediaType.IMAGE_PNG).hasHeader("X-Highlight-Boxes", "1");
        assertThat(result.getResponse().getHeader("X-Highlight-Area")).matches("0\\.\\d{4},0\\.\\d{4},0\\.\\d{4},0\\.\\d{4}");
        assertThat(result.getResponse().getContentAsByteArray()).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void aPageShownAgainComesFromTheCacheEvenWhenTheFileIsGoneMeanwhileButTheFileEndpointSaysItIsGone() throws IOException {
        assertThat(mvc.get().uri("/api/documents/d1/pages/2/image?dpi=50").exchange()).hasStatusOk();
        Files.delete(pdf);

        assertThat(mvc.get().uri("/api/documents/d1/pages/2/image?dpi=50").exchange()).hasStatusOk();
        var gone = mvc.get().uri("/api/documents/d1/pages/1/image?dpi=51").exchange();
        assertThat(gone).hasStatus(HttpStatus.GONE).bodyJson().extractingPath("$.detail").asString()
                .contains("is no longer at").contains("where it was ingested from");
        assertThat(mvc.get().uri("/api/documents/d1/file").exchange()).hasStatus(HttpStatus.GONE);
    }

    @Test
    void aChangedFileIsGoneTooForItsPagesNoLongerMatchTheGraph() throws IOException {
        given(catalog.find("d1")).willReturn(Optional.of(document(pdf, Files.size(pdf) + 1)));

        var result = mvc.get().uri("/api/documents/d1/pages/1/image?dpi=52").exchange();

        assertThat(result).hasStatus(HttpStatus.GONE).bodyJson().extractingPath("$.detail").asString()
                .contains("has changed since it was ingested");
    }

    @Test
    void unknownDocumentsPagesAndBadResolutionsAreProblems() {
        assertThat(mvc.get().uri("/api/documents/nope/pages/1/image").exchange()).hasStatus(HttpStatus.NOT_FOUND)
                .bodyJson().extractingPath("$.detail").asString().contains("no document with id nope");
        assertThat(mvc.get().uri("/api/documents/d1/pages/3/image").exchange()).hasStatus(HttpStatus.NOT_FOUND)
                .bodyJson().extractingPath("$.detail").asString().contains("page 3 is not in").contains("2 page(s)");
        assertThat(mvc.get().uri("/api/documents/d1/pages/1/image?dpi=500").exchange()).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().extractingPath("$.detail").asString().contains("dpi must be between 36 and 200");
        assertThat(mvc.get().uri("/api/documents/d1/pages/1/image?highlight={h}", "x".repeat(2001)).exchange())
                .hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void theFileIsThePdfWithItsUnicodeNameInTheContentDisposition() {
        var result = mvc.get().uri("/api/documents/d1/file").exchange();

        assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_PDF);
        assertThat(result.getResponse().getHeader("Content-Disposition")).startsWith("inline;")
                .contains("filename*=UTF-8''plong%C3%A9e%20niveau%201.pdf");
        assertThat(result.getResponse().getContentAsByteArray()).startsWith('%', 'P', 'D', 'F');
    }

    @Test
    void theCacheKeepsAtMostItsLimitDroppingTheOldest() throws Exception {
        for (int dpi = 60; dpi < 70; dpi++) {
            assertThat(mvc.get().uri("/api/documents/d1/pages/1/image?dpi=" + dpi).exchange()).hasStatusOk();
            Thread.sleep(5); // distinct modification times
        }
        cache.prune();
        try (var files = Files.list(WORK.resolve("pages"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).isEqualTo(3);
        }
        assertThat(cache.find(PageImageCache.key("c0ffee", 1, 69, null))).isPresent();
        assertThat(cache.find(PageImageCache.key("c0ffee", 1, 60, null))).isEmpty();
    }

    static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("diveteacher-pages-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
