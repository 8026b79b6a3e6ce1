package io.diveteacher.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.info.BuildProperties;

import io.diveteacher.graph.GraphHealth;
import io.diveteacher.graph.Neo4jStatus;
import io.diveteacher.inference.InferenceProperties;
import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.ModelSelection;
import io.diveteacher.inference.OllamaStatusClient;
import io.diveteacher.inference.OllamaStatus;

class HealthCheckTests {

    private static final String CHAT = "qwen2.5:7b-instruct-q8_0";
    private static final Neo4jStatus NEO4J_UP = new Neo4jStatus(true, "2026.08.1", true, null);
    private static final ModelSelection OLLAMA_MODELS = new ModelSelection(false, null, "bge-m3", CHAT, 768, "0.12.6");

    private static OllamaStatus ollama(String processor, boolean chatPresent) {
        return new OllamaStatus("http://ollama:11434", true, "0.12.6", Map.of(CHAT, chatPresent, "bge-m3", true),
                processor, null);
    }

    private static final OllamaStatus OLLAMA_DOWN = new OllamaStatus("http://ollama:11434", false, null,
            Map.of(CHAT, false, "bge-m3", false), null, "ConnectException");

    private static HealthCheck check(ModelSelection selection, boolean allowFallback) {
        ModelRuntime runtime = mock(ModelRuntime.class);
        when(runtime.currentSelection()).thenReturn(Optional.ofNullable(selection));
        when(runtime.unavailableReason()).thenReturn(selection == null ? "Ollama at http://ollama:11434 is pulling" : null);
        var properties = new InferenceProperties("http://ollama:11434", CHAT, "bge-m3", 4, 8192, 2048, false,
                allowFallback, Duration.ofSeconds(1), Duration.ofSeconds(10));
        return new HealthCheck(mock(OllamaStatusClient.class), mock(GraphHealth.class), runtime, properties,
                new DefaultListableBeanFactory().getBeanProvider(BuildProperties.class));
    }

    @Test
    void theProcessorIsATrafficLightThePagesShow() {
        assertThat(check(OLLAMA_MODELS, false).assess(ollama("100% GPU", true), NEO4J_UP).processorState()).isEqualTo("gpu");
        assertThat(check(OLLAMA_MODELS, false).assess(ollama("100% CPU", true), NEO4J_UP).processorState()).isEqualTo("cpu");
        assertThat(check(OLLAMA_MODELS, false).assess(ollama("48%/52% CPU/GPU", true), NEO4J_UP).processorState())
                .isEqualTo("split");
        assertThat(check(OLLAMA_MODELS, false).assess(ollama("not loaded", true), NEO4J_UP).processorState()).isEqualTo("idle");
        assertThat(check(OLLAMA_MODELS, false).assess(OLLAMA_DOWN, NEO4J_UP).processorState()).isEqualTo("unknown");
    }

    @Test
    void everythingInPlaceOnTheGpuIsHealthy() {
        SystemHealth health = check(OLLAMA_MODELS, false).assess(ollama("100% GPU", true), NEO4J_UP);

        assertThat(health.status()).isEqualTo("healthy");
        assertThat(health.problems()).isEmpty();
        assertThat(health.ollamaModel()).isEqualTo(CHAT);
        assertThat(check(OLLAMA_MODELS, false).assess(ollama("not loaded", true), NEO4J_UP).status()).isEqualTo("healthy");
    }

    @Test
    void aModelOnTheCpuIsDegradedAndNamesTheFix() {
        for (String processor : new String[] {"100% CPU", "48%/52% CPU/GPU"}) {
            SystemHealth health = check(OLLAMA_MODELS, false).assess(ollama(processor, true), NEO4J_UP);

            assertThat(health.status()).isEqualTo("degraded");
            assertThat(health.problems()).singleElement().asString().contains(processor).contains("NVIDIA Container Toolkit");
        }
    }

    @Test
    void aMissingModelOrTheFallbackModelsAreDegraded() {
        assertThat(check(OLLAMA_MODELS, false).assess(ollama("not loaded", false), NEO4J_UP))
                .satisfies(h -> assertThat(h.status()).isEqualTo("degraded"))
                .satisfies(h -> assertThat(h.problems()).singleElement().asString().contains("ollama pull " + CHAT));
        ModelSelection fallback = new ModelSelection(true, "Ollama is not reachable", "all-MiniLM-L6-v2 (in-process)",
                "phrases", 384, null);
        SystemHealth local = check(fallback, true).assess(OLLAMA_DOWN, NEO4J_UP);
        assertThat(local.status()).isEqualTo("degraded");
        assertThat(local.fallback()).isTrue();
    }

    @Test
    void noGraphOrNoOllamaWithoutFallbackIsUnhealthy() {
        assertThat(check(OLLAMA_MODELS, false).assess(ollama("100% GPU", true),
                new Neo4jStatus(false, null, false, "connection refused")).status()).isEqualTo("unhealthy");
        assertThat(check(OLLAMA_MODELS, false).assess(OLLAMA_DOWN, NEO4J_UP).status()).isEqualTo("unhealthy");
        assertThat(check(OLLAMA_MODELS, false).assess(OLLAMA_DOWN, NEO4J_UP).problems())
                .anySatisfy(p -> assertThat(p).contains("Ollama is not reachable at http://ollama:11434"));
    }

    @Test
    void underProdWithoutModelsYetTheApplicationRunsButIsUnhealthyAndSaysWhy() {
        SystemHealth down = check(null, false).assess(OLLAMA_DOWN, NEO4J_UP);
        assertThat(down.status()).isEqualTo("unhealthy");
        assertThat(down.problems()).singleElement().asString().contains("Ollama is not reachable at http://ollama:11434");

        SystemHealth settingUp = check(null, false).assess(ollama("not loaded", true), NEO4J_UP);
        assertThat(settingUp.status()).isEqualTo("unhealthy");
        assertThat(settingUp.problems()).anySatisfy(p -> assertThat(p).contains("the models are not ready yet: Ollama at"));
    }

    @Test
    void actuatorSaysDownExactlyWhenApiHealthIsUnhealthyAlsoWhileModelsArePulled() {
        SystemHealth pulling = check(null, false).assess(ollama("not loaded", true), NEO4J_UP);
        SystemHealth degraded = check(OLLAMA_MODELS, false).assess(ollama("100% CPU", true), NEO4J_UP);
        SystemHealth noGraph = check(OLLAMA_MODELS, false).assess(ollama("100% GPU", true),
                new Neo4jStatus(false, null, false, "connection refused"));
        ModelSelection fallback = new ModelSelection(true, "Ollama is not reachable", "all-MiniLM-L6-v2 (in-process)",
                "phrases", 384, null);
        SystemHealth local = check(fallback, true).assess(OLLAMA_DOWN, NEO4J_UP);

        assertThat(HealthCheck.ollama(pulling).getStatus()).isEqualTo(Status.DOWN);
        assertThat(HealthCheck.ollama(pulling).getDetails()).containsKey("problems");
        assertThat(HealthCheck.ollama(degraded).getStatus()).isEqualTo(Status.UP);
        assertThat(HealthCheck.ollama(local).getStatus()).as("the fallback answers").isEqualTo(Status.UP);
        assertThat(HealthCheck.neo4j(noGraph.neo4j()).getStatus()).isEqualTo(Status.DOWN);
        for (SystemHealth health : List.of(pulling, degraded, noGraph, local)) {
            boolean down = HealthCheck.ollama(health).getStatus() == Status.DOWN
                    || HealthCheck.neo4j(health.neo4j()).getStatus() == Status.DOWN;
            assertThat(down).as(health.status()).isEqualTo(health.status().equals(SystemHealth.UNHEALTHY));
        }
    }
}
