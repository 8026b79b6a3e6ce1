package io.diveteacher.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.diveteacher.graph.GraphWriter;
import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.OllamaTestServer;

/**
 * The extraction module started on its own with the modules it may use (inference, document) and nothing else:
 * no graph, no jobs. It binds the shipped ontology and extracts through Ollama's structured output.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.DIRECT_DEPENDENCIES,
        webEnvironment = org.springframework.boot.test.context.SpringBootTest.WebEnvironment.NONE)
class ExtractionModuleIT {

    static final OllamaTestServer OLLAMA = new OllamaTestServer();
    static final Path DATA = temporaryDirectory();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("diveteacher.data-dir", DATA::toString);
        registry.add("spring.ai.ollama.base-url", OLLAMA::baseUrl);
    }

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    @Autowired
    EntityExtractor extractor;

    @Autowired
    ModelRuntime models;

    @Autowired
    ApplicationContext context;

    @Test
    void startsWithoutTheGraphAndExtractsTheShippedOntologysTypesThroughOllama() {
        assertThat(context.getBeanNamesForType(GraphWriter.class)).isEmpty();
        assertThat(models.awaitSelection(Duration.ofSeconds(30)).fallback()).isFalse();

        ExtractedGraph graph = extractor.extract("Before every dive with Nitrox the Divers Alert Network advises "
                + "an Oxygen Analyser check.");

        assertThat(OLLAMA.chatCalls()).isEqualTo(1);
        List<String> offered = new ArrayList<>();
        OLLAMA.lastChatRequest().path("format").path("properties").path("entities").path("items").path("properties")
                .path("type").path("enum").forEach(n -> offered.add(n.asString()));
        assertThat(offered).containsExactly("Procedure", "Equipment", "Certification", "GasMix", "Organization",
                "Hazard", "Limit", "Concept");
        assertThat(graph.entities()).extracting(ExtractedGraph.Entity::name).contains("Nitrox", "Divers Alert Network");
        assertThat(graph.entities()).allSatisfy(e -> assertThat(offered).contains(e.type()));
        assertThat(graph.relationships()).isNotEmpty();
        assertThat(extractor.model()).isEqualTo(OllamaTestServer.CHAT_MODEL);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("diveteacher-extraction-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
