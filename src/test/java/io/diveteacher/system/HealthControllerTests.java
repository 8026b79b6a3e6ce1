package io.diveteacher.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import io.diveteacher.graph.Neo4jStatus;
import io.diveteacher.inference.OllamaStatus;

@WebMvcTest(HealthController.class)
// Security (admin auth, rate limits) is covered end to end in AdminApiIT; here only the controller.
@AutoConfigureMockMvc(addFilters = false)
class HealthControllerTests {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    HealthCheck health;

    private static SystemHealth health(String status) {
        return new SystemHealth(status, "qwen2.5:7b-instruct-q8_0", "bge-m3",
                new OllamaStatus("http://ollama:11434", true, "0.12.6", Map.of("bge-m3", true), "100% GPU", null),
                new Neo4jStatus(true, "2026.08.1", false, null), "0.1.0", false, true, List.of());
    }

    @Test
    void answersInTheDocumentedShape() {
        given(health.check()).willReturn(health("healthy"));

        assertThat(mvc.get().uri("/api/health")).hasStatusOk().bodyJson()
                .hasPathSatisfying("$.status", v -> assertThat(v).isEqualTo("healthy"))
                .hasPathSatisfying("$.ollama_model", v -> assertThat(v).isEqualTo("qwen2.5:7b-instruct-q8_0"))
                .hasPathSatisfying("$.embedding_model", v -> assertThat(v).isEqualTo("bge-m3"))
                .hasPathSatisfying("$.ollama.base_url", v -> assertThat(v).isEqualTo("http://ollama:11434"))
                .hasPathSatisfying("$.ollama.models_present['bge-m3']", v -> assertThat(v).isEqualTo(true))
                .hasPathSatisfying("$.ollama.processor", v -> assertThat(v).isEqualTo("100% GPU"))
                .hasPathSatisfying("$.neo4j.embedded", v -> assertThat(v).isEqualTo(false))
                .hasPathSatisfying("$.version", v -> assertThat(v).isEqualTo("0.1.0"));
    }

    @Test
    void unhealthyIsServiceUnavailableAndDegradedIsStillOk() {
        given(health.check()).willReturn(health("unhealthy"));
        assertThat(mvc.get().uri("/api/health")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE);

        given(health.check()).willReturn(health("degraded"));
        assertThat(mvc.get().uri("/api/health")).hasStatusOk();
    }
}
