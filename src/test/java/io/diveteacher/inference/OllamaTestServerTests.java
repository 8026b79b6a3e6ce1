package io.diveteacher.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaApi.Message.Role;
import org.springframework.ai.ollama.management.ModelManagementOptions;
import org.springframework.ai.ollama.management.OllamaModelManager;
import org.springframework.ai.ollama.management.PullModelStrategy;
import org.springframework.ai.retry.NonTransientAiException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test server is only worth what its fidelity to Ollama's API is worth: Spring AI's own client must
 * read its NDJSON streams, pulls and errors as it reads Ollama's.
 */
class OllamaTestServerTests {

    private static final OllamaTestServer OLLAMA = new OllamaTestServer();
    private final OllamaApi api = OllamaApi.builder().baseUrl(OLLAMA.baseUrl()).build();

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    @Test
    void chatStreamsByDefaultAsNdjsonEndingWithTheCounters() throws Exception {
        String body = "{\"model\": \"" + OllamaTestServer.CHAT_MODEL + "\", \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"Which gas?\\nAnswer briefly.\"}]}";
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(OLLAMA.baseUrl() + "/api/chat"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.headers().firstValue("Content-Type")).contains("application/x-ndjson");
            List<JsonNode> lines = response.body().lines().map(l -> JsonMapper.shared().readTree(l)).toList();
            assertThat(lines).hasSizeGreaterThan(2);
            assertThat(lines.subList(0, lines.size() - 1)).allSatisfy(l -> assertThat(l.path("done").asBoolean()).isFalse());
            JsonNode last = lines.getLast();
            assertThat(last.path("done").asBoolean()).isTrue();
            assertThat(last.path("done_reason").asString()).isEqualTo("stop");
            assertThat(last.path("eval_count").asInt()).isPositive();
            assertThat(last.path("eval_duration").asLong()).isGreaterThan(1_000_000L);
        }
    }

    @Test
    void springAiReadsTheStreamedAnswer() {
        var request = OllamaApi.ChatRequest.builder(OllamaTestServer.CHAT_MODEL)
                .messages(List.of(OllamaApi.Message.builder(Role.USER).content(
                        "Context passages:\n\n[1] Nitrox Basics, page 1\nMost recreational divers breathe air or nitrox.\n\n"
                                + "Question: Which gas do divers breathe?").build()))
                .stream(true).build();

        List<OllamaApi.ChatResponse> parts = api.streamingChat(request).collectList().block();

        assertThat(parts).hasSizeGreaterThan(2);
        assertThat(parts.getLast().done()).isTrue();
        assertThat(parts.getLast().evalCount()).isPositive();
        assertThat(parts.stream().map(p -> p.message().content()).reduce("", String::concat))
                .isEqualTo("Most recreational divers breathe air or nitrox [1].");
    }

    @Test
    void theTextAnExtractionAsksAboutIsFoundAsTheExpressionFoundIt() {
        Pattern text = Pattern.compile("<<<\\n?(.*?)\\n?>>>", Pattern.DOTALL);
        for (String user : List.of("Text:\n<<<\nThe Regulator.\n>>>\nAnswer.", "<<<a>>>", "<<<\n>>>", "<<<>>>",
                "<<<\n\n>>>", "x <<<one>>> <<<two>>>", "no markers", "<<< unclosed", "closed only >>>", ">>> <<<a\n>>>")) {
            Matcher found = text.matcher(user);
            assertThat(OllamaTestServer.between(user, "<<<", ">>>")).as(user).isEqualTo(found.find() ? found.group(1) : user);
        }
    }

    @Test
    void anUnknownModelIsA404WithOllamasErrorBody() {
        var request = OllamaApi.ChatRequest.builder("llama9:unknown")
                .messages(List.of(OllamaApi.Message.builder(Role.USER).content("hi").build())).stream(false).build();

        assertThatThrownBy(() -> api.chat(request)).isInstanceOf(NonTransientAiException.class)
                .hasMessageContaining("404").hasMessageContaining("{\"error\":\"model 'llama9:unknown' not found\"}");
    }

    @Test
    void springAiPullsAMissingModelThroughTheStreamedStatusLines() {
        OLLAMA.removeModel(OllamaTestServer.EMBEDDING_MODEL);
        var manager = new OllamaModelManager(api, ModelManagementOptions.defaults());
        assertThat(manager.isModelAvailable("bge-m3")).isFalse();

        manager.pullModel("bge-m3", PullModelStrategy.WHEN_MISSING);

        assertThat(manager.isModelAvailable("bge-m3")).isTrue();
        assertThat(OLLAMA.pullCalls()).isEqualTo(1);
    }
}
