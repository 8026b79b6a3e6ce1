package io.diveteacher.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(GraphController.class)
// Security (admin auth, rate limits) is covered end to end in AdminApiIT; here only the controller.
@AutoConfigureMockMvc(addFilters = false)
class GraphControllerTests {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    DocumentCatalog catalog;

    @MockitoBean
    GraphQueries queries;

    private static final StoredDocument NITROX = new StoredDocument("d1", "/samples/nitrox-basics.pdf", "nitrox-basics.pdf",
            "Nitrox Basics", "abc", 2336, DocumentStatus.INGESTED, null, 2, 2, 40, 0, 0, List.of(), "bge-m3", "qwen2.5:7b-instruct-q8_0",
            OffsetDateTime.of(2026, 11, 27, 4, 0, 0, 0, ZoneOffset.UTC));

    @Test
    void documentsAreListedPageByPageWithSnakeCaseFields() {
        given(catalog.page(1, 1)).willReturn(List.of(NITROX));
        given(catalog.count()).willReturn(3L);

        assertThat(mvc.get().uri("/api/documents?page=1&size=1")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$.documents[0].name", v -> assertThat(v).isEqualTo("nitrox-basics.pdf"))
                .hasPathSatisfying("$.documents[0].status", v -> assertThat(v).isEqualTo("INGESTED"))
                .hasPathSatisfying("$.documents[0].embedded_with", v -> assertThat(v).isEqualTo("bge-m3"))
                .hasPathSatisfying("$.documents[0].skipped_chunks", v -> assertThat(v).isEqualTo(0))
                .hasPathSatisfying("$.page", v -> assertThat(v).isEqualTo(1))
                .hasPathSatisfying("$.total", v -> assertThat(v).isEqualTo(3));
        assertThat(mvc.get().uri("/api/documents?size=501")).hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void anUnknownDocumentIsAProblemDetailThatSaysWhereToLook() {
        given(catalog.find("nope")).willReturn(Optional.empty());

        var result = mvc.get().uri("/api/documents/nope").exchange();

        assertThat(result).hasStatus(HttpStatus.NOT_FOUND).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString()
                .isEqualTo("no document with id nope (GET /api/documents lists them)");
    }

    @Test
    void statsCountNodesRelationshipsAndIndexStates() {
        given(queries.stats()).willReturn(new GraphStats(Map.of("Chunk", 8L), Map.of("MENTIONS", 174L),
                List.of(new GraphStats.IndexState("chunk_embedding", "VECTOR", "ONLINE", 100.0))));

        assertThat(mvc.get().uri("/api/graph/stats")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$.nodes.Chunk", v -> assertThat(v).isEqualTo(8))
                .hasPathSatisfying("$.indexes[0].population_percent", v -> assertThat(v).isEqualTo(100.0));
    }
}
