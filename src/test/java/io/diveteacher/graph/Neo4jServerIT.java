package io.diveteacher.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.neo4j.Neo4jContainer;

import io.diveteacher.graph.DocumentStatus;
import io.diveteacher.inference.OllamaTestServer;
import io.diveteacher.ingestion.IngestionLauncher;

/**
 * The same ingestion against a real Neo4j server over Bolt, as production runs it (NEO4J_URI set, no
 * embedded database). Needs Docker; skipped where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class Neo4jServerIT {

    @Container
    static final Neo4jContainer NEO4J = new Neo4jContainer("neo4j:2026.08.1-community").withAdminPassword("diveteacher");

    static final OllamaTestServer OLLAMA = new OllamaTestServer();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("diveteacher.data-dir", () -> tempDir().toString());
        registry.add("diveteacher.neo4j.uri", NEO4J::getBoltUrl);
        registry.add("diveteacher.neo4j.password", () -> "diveteacher");
        registry.add("spring.ai.ollama.base-url", OLLAMA::baseUrl);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("diveteacher-neo4j-it-");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    IngestionLauncher launcher;

    @Autowired
    DocumentCatalog catalog;

    @Autowired
    GraphQueries queries;

    @Test
    void ingestsTheSamplesIntoANeo4jServer() throws Exception {
        var execution = launcher.ingest(List.of("samples"));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(catalog.list()).hasSize(6).allSatisfy(d -> assertThat(d.status()).isEqualTo(DocumentStatus.INGESTED));
        assertThat(queries.stats().indexes()).anySatisfy(i -> {
            assertThat(i.name()).isEqualTo("chunk_embedding");
            assertThat(i.type()).isEqualTo("VECTOR");
        });
    }
}
