package io.diveteacher.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.ollama.OllamaContainer;

/**
 * {@link ModelRuntime} against a real Ollama (CPU, small models pulled at start-up through Spring AI's
 * pull strategy): the wire protocol the test server imitates. Needs Docker and a few hundred MB of
 * downloads; skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class OllamaContainerIT {

    private static final String CHAT = "qwen2.5:0.5b";
    private static final String EMBEDDING = "all-minilm";

    @Container
    static final OllamaContainer OLLAMA = new OllamaContainer("ollama/ollama:0.12.6");

    @Test
    void pullsTheModelsThenEmbedsAndExtractsWithStructuredOutput() {
        String url = OLLAMA.getEndpoint();
        try (InferenceFixture models = InferenceFixture.start(url, CHAT, EMBEDDING, true, false, null, 2048, 512,
                Duration.ofSeconds(10))) {
            var runtime = models.runtime();
            assertThat(runtime.awaitSelection(Duration.ofMinutes(10)).fallback()).isFalse();
            assertThat(runtime.selection().dimensions()).isEqualTo(384);
            assertThat(runtime.embeddings().embed(List.of("safety stop", "nitrox"))).hasSize(2);
            ChatReply reply = models.chat().chat("Answer in JSON.", "List two colours.", Map.of("type", "object",
                    "properties", Map.of("colours", Map.of("type", "array", "items", Map.of("type", "string"))),
                    "required", List.of("colours")));
            assertThat(reply.content()).contains("colours");
        }
    }
}
