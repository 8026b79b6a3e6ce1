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
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.OllamaEmbeddingModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.ollama.api.OllamaEmbeddingOptions;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

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
        ModelRuntime runtime = runtime(OLLAMA.baseUrl(), false, true, null);

        assertThat(runtime.selection().fallback()).isFalse();
        assertThat(runtime.selection().dimensions()).isEqualTo(OllamaTestServer.DIMENSIONS);
        assertThat(runtime.selection().ollamaVersion()).isEqualTo("0.12.6");
        assertThat(runtime.modelCalls()).as("no model call at start-up").isZero();

        List<float[]> vectors = runtime.embeddings().embed(List.of("safety stop", "nitrox", "buddy check"));

        assertThat(vectors).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(OllamaTestServer.DIMENSIONS));
        assertThat(OLLAMA.embedCalls()).as("one request for several inputs").isEqualTo(1);
        assertThat(runtime.modelCalls()).isEqualTo(1);
    }

    @Test
    void chatSendsTheSchemaTemperatureZeroAnExplicitContextAndNoStreaming() {
        ModelRuntime runtime = runtime(OLLAMA.baseUrl(), false, true, null);

        ChatReply reply = runtime.chat("system", "Text:\n<<<\nThe Regulator and the Octopus.\n>>>", SCHEMA);

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

    @Test
    void serverFailuresAreTransientAndUnknownModelsAreNot() {
        ModelRuntime runtime = runtime(OLLAMA.baseUrl(), false, true, null);
        OLLAMA.failChatAfter(0);
        assertThatThrownBy(() -> runtime.chat("s", "u", SCHEMA)).isInstanceOfSatisfying(ModelCallException.class,
                e -> {
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.getMessage()).contains("llama runner process has terminated");
                });

        OLLAMA.reset();
        OLLAMA.removeModel(OllamaTestServer.CHAT_MODEL);
        assertThatThrownBy(() -> runtime.chat("s", "u", SCHEMA)).isInstanceOfSatisfying(ModelCallException.class,
                e -> assertThat(e.transientFailure()).isFalse());
    }

    @Test
    void missingModelsArePulledAtStartUpWhenAsked() {
        OLLAMA.removeModel(OllamaTestServer.EMBEDDING_MODEL);

        ModelRuntime runtime = runtime(OLLAMA.baseUrl(), true, false, null);

        assertThat(OLLAMA.pullCalls()).isEqualTo(1);
        assertThat(runtime.selection().fallback()).isFalse();
    }

    @Test
    void aMissingModelWithoutPullingFallsBackAndSaysHowToFixIt() {
        OLLAMA.removeModel(OllamaTestServer.CHAT_MODEL);

        ModelRuntime runtime = runtime(OLLAMA.baseUrl(), false, true, new FixedLocalModels());

        assertThat(runtime.selection().fallback()).isTrue();
        assertThat(runtime.selection().reason()).contains("does not have the model(s) qwen2.5:7b-instruct-q8_0")
                .contains("OLLAMA_PULL_MODELS=true");
        assertThat(runtime.selection().dimensions()).isEqualTo(3);
        assertThatThrownBy(() -> runtime.chat("s", "u", SCHEMA)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutFallbackAnUnreachableOllamaFailsEachCallWithTheReasonUntilOllamaComesUp() throws Exception {
        try (OllamaTestServer later = new OllamaTestServer()) {
            String url = later.baseUrl();
            later.close(); // nothing listens on its port yet
            ModelRuntime runtime = runtime(url, false, false, new FixedLocalModels());
            try {
                assertThat(runtime.currentSelection()).isEmpty();
                assertThat(runtime.unavailableReason()).contains("Ollama is not reachable at " + url)
                        .contains("fallback models are disabled");
                assertThatThrownBy(() -> runtime.embeddings().embed(List.of("x")))
                        .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.transientFailure()).isTrue())
                        .hasMessageContaining("Ollama is not reachable at " + url);
                List<ModelSelection> readied = new java.util.concurrent.CopyOnWriteArrayList<>();
                runtime.whenReady(readied::add);
                assertThat(readied).isEmpty();

                try (OllamaTestServer ollama = new OllamaTestServer(java.net.URI.create(url).getPort())) {
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
                    while (runtime.currentSelection().isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    assertThat(runtime.currentSelection()).hasValueSatisfying(s -> assertThat(s.fallback()).isFalse());
                    assertThat(readied).singleElement().satisfies(s -> assertThat(s.dimensions()).isEqualTo(OllamaTestServer.DIMENSIONS));
                    assertThat(runtime.embeddings().embed(List.of("x"))).hasSize(1);
                    assertThat(runtime.unavailableReason()).isNull();
                }
            } finally {
                runtime.stopRetrying();
            }
        }
        assertThat(runtime("http://127.0.0.1:" + freePort(), false, true, new FixedLocalModels()).selection().fallback()).isTrue();
    }

    private static ModelRuntime runtime(String baseUrl, boolean pull, boolean allowFallback, LocalModels local) {
        InferenceProperties properties = new InferenceProperties(baseUrl, OllamaTestServer.CHAT_MODEL, "nomic-embed-text",
                4, 8192, 2048, pull, allowFallback, Duration.ofSeconds(2), Duration.ofMillis(200));
        OllamaApi api = OllamaApi.builder().baseUrl(baseUrl).build();
        var embeddingModel = OllamaEmbeddingModel.builder().ollamaApi(api)
                .options(OllamaEmbeddingOptions.builder().model("nomic-embed-text").build()).build();
        var chatModel = OllamaChatModel.builder().ollamaApi(api)
                .options(OllamaChatOptions.builder().model(OllamaTestServer.CHAT_MODEL).build())
                .retryTemplate(new RetryTemplate(RetryPolicy.builder().maxRetries(0).build())).build();
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        if (local != null) {
            beans.registerSingleton("local", local);
        }
        return new ModelRuntime(properties, new OllamaServer(properties), api, embeddingModel, chatModel,
                beans.getBeanProvider(LocalModels.class), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
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
