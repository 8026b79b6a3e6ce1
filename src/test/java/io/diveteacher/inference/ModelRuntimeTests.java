package io.diveteacher.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up decisions and the model calls of {@link ModelRuntime}, against the test Ollama server. */
class ModelRuntimeTests {

    private static final OllamaTestServer OLLAMA = new OllamaTestServer();
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "properties",
            Map.of("entities", Map.of("type", "array")), "required", List.of("entities"));

    @BeforeEach
    void reset() {
        OLLAMA.reset();
    }

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    @Test
    void usesOllamaAndReadsTheEmbeddingDimensionFromTheModel() {
        try (InferenceFixture models = start(OLLAMA.baseUrl(), false, true, null)) {
            ModelRuntime runtime = models.runtime();

            assertThat(runtime.selection().fallback()).isFalse();
            assertThat(runtime.selection().dimensions()).isEqualTo(OllamaTestServer.DIMENSIONS);
            assertThat(runtime.selection().ollamaVersion()).isEqualTo("0.12.6");
            assertThat(runtime.modelCalls()).as("no model call at start-up").isZero();
            assertThat(models.events()).singleElement().satisfies(e -> assertThat(e.selection().fallback()).isFalse());

            List<float[]> vectors = runtime.embeddings().embed(List.of("safety stop", "nitrox", "buddy check"));

            assertThat(vectors).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(OllamaTestServer.DIMENSIONS));
            assertThat(OLLAMA.embedCalls()).as("one request for several inputs").isEqualTo(1);
            assertThat(runtime.modelCalls()).isEqualTo(1);
        }
    }

    @Test
    void theModelsDigestsComeFromTheTagsAndARepulledModelIsNoticedWhenAJobStarts() {
        OLLAMA.digest(OllamaTestServer.CHAT_MODEL, "aaaa0000");
        try (InferenceFixture models = start(OLLAMA.baseUrl(), false, true, null)) {
            ModelRuntime runtime = models.runtime();
            assertThat(runtime.selection().chatDigest()).isEqualTo("aaaa0000");
            assertThat(runtime.selection().embeddingDigest()).isNotEmpty().isNotEqualTo("aaaa0000");
            assertThat(runtime.refreshDigests()).as("unchanged").isEqualTo(runtime.selection());

            OLLAMA.digest(OllamaTestServer.CHAT_MODEL, "bbbb1111");

            assertThat(runtime.refreshDigests().chatDigest()).isEqualTo("bbbb1111");
            assertThat(runtime.selection().chatDigest()).isEqualTo("bbbb1111");
        }
    }

    @Test
    void chatSendsTheSchemaTemperatureZeroAnExplicitContextAndNoStreaming() {
        try (InferenceFixture models = start(OLLAMA.baseUrl(), false, true, null)) {
            ChatReply reply = models.chat().chat("system", "Text:\n<<<\nThe Regulator and the Octopus.\n>>>", SCHEMA);

            assertThat(reply.content()).contains("Regulator").contains("Octopus");
            assertThat(reply.truncated()).isFalse();
            var request = OLLAMA.lastChatRequest();
            assertThat(request.path("stream").asBoolean(true)).isFalse();
            assertThat(request.path("format").path("required").get(0).asString()).isEqualTo("entities");
            assertThat(request.path("options").path("temperature").asDouble(-1)).isZero();
            assertThat(request.path("options").path("num_ctx").asInt()).isEqualTo(8192);
            assertThat(request.path("options").path("num_predict").asInt()).isEqualTo(2048);
            assertThat(request.path("messages")).hasSize(2);
        }
    }

    @Test
    void serverFailuresAreTransientAndUnknownModelsAreNot() {
        try (InferenceFixture models = start(OLLAMA.baseUrl(), false, true, null)) {
            OLLAMA.failChatAfter(0);
            assertThatThrownBy(() -> models.chat().chat("s", "u", SCHEMA)).isInstanceOfSatisfying(ModelCallException.class,
                    e -> {
                        assertThat(e.transientFailure()).isTrue();
                        assertThat(e.getMessage()).contains("llama runner process has terminated");
                    });

            OLLAMA.reset();
            OLLAMA.removeModel(OllamaTestServer.CHAT_MODEL);
            assertThatThrownBy(() -> models.chat().chat("s", "u", SCHEMA)).isInstanceOfSatisfying(ModelCallException.class,
                    e -> assertThat(e.transientFailure()).isFalse());
        }
    }

    @Test
    void missingModelsArePulledInTheBackgroundAndTheCommandsWaitForThem() {
        OLLAMA.removeModel(OllamaTestServer.EMBEDDING_MODEL);

        try (InferenceFixture models = start(OLLAMA.baseUrl(), true, true, new FixedLocalModels())) {
            ModelSelection selection = models.runtime().awaitSelection(Duration.ofSeconds(20));

            assertThat(OLLAMA.pullCalls()).isEqualTo(1);
            assertThat(selection.fallback()).as("never the fallback while pulling").isFalse();
            assertThat(models.events()).hasSize(1);
        }
    }

    @Test
    void aMissingModelWithoutPullingFallsBackAndSaysHowToFixIt() {
        OLLAMA.removeModel(OllamaTestServer.CHAT_MODEL);

        try (InferenceFixture models = start(OLLAMA.baseUrl(), false, true, new FixedLocalModels())) {
            ModelRuntime runtime = models.runtime();

            assertThat(runtime.selection().fallback()).isTrue();
            assertThat(runtime.selection().reason()).contains("does not have the model(s) qwen2.5:7b-instruct-q8_0")
                    .contains("OLLAMA_PULL_MODELS=true");
            assertThat(runtime.selection().dimensions()).isEqualTo(3);
            assertThatThrownBy(() -> models.chat().chat("s", "u", SCHEMA)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void withoutFallbackAnUnreachableOllamaFailsEachCallWithTheReasonUntilOllamaComesUp() throws Exception {
        try (OllamaTestServer later = new OllamaTestServer()) {
            String url = later.baseUrl();
            later.close(); // nothing listens on its port yet
            try (InferenceFixture models = start(url, false, false, new FixedLocalModels())) {
                ModelRuntime runtime = models.runtime();
                assertThat(runtime.currentSelection()).isEmpty();
                assertThat(runtime.unavailableReason()).contains("Ollama is not reachable at " + url)
                        .contains("fallback models are disabled");
                assertThatThrownBy(() -> runtime.embeddings().embed(List.of("x")))
                        .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.transientFailure()).isTrue())
                        .hasMessageContaining("Ollama is not reachable at " + url);
                assertThat(models.events()).isEmpty();

                try (OllamaTestServer ollama = new OllamaTestServer(java.net.URI.create(url).getPort())) {
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
                    while (runtime.currentSelection().isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    assertThat(runtime.currentSelection()).hasValueSatisfying(s -> assertThat(s.fallback()).isFalse());
                    assertThat(models.events()).singleElement()
                            .satisfies(e -> assertThat(e.selection().dimensions()).isEqualTo(OllamaTestServer.DIMENSIONS));
                    assertThat(runtime.embeddings().embed(List.of("x"))).hasSize(1);
                    assertThat(runtime.unavailableReason()).isNull();
                }
            }
        }
        try (InferenceFixture models = start("http://127.0.0.1:" + freePort(), false, true, new FixedLocalModels())) {
            assertThat(models.runtime().selection().fallback()).isTrue();
        }
    }

    private static InferenceFixture start(String baseUrl, boolean pull, boolean allowFallback, LocalModels local) {
        return InferenceFixture.start(baseUrl, OllamaTestServer.CHAT_MODEL, "bge-m3", pull, allowFallback, local,
                8192, 2048, Duration.ofMillis(200));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static final class FixedLocalModels implements LocalModels {
        @Override
        public Embeddings embeddings() {
            return new Embeddings() {
                @Override
                public List<float[]> embed(List<String> texts) {
                    return texts.stream().map(t -> new float[] {1, 0, 0}).toList();
                }

                @Override
                public String model() {
                    return "fixed";
                }

                @Override
                public int dimensions() {
                    return 3;
                }
            };
        }
    }
}
