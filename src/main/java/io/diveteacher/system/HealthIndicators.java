package io.diveteacher.system;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.diveteacher.graph.GraphHealth;
import io.diveteacher.inference.InferenceProperties;
import io.diveteacher.inference.OllamaServer;

/**
 * The same checks as Spring Boot Actuator health indicators ({@code /actuator/health}) for orchestrators:
 * down only when the application cannot work; a degraded Ollama (CPU, missing model) stays up with details.
 */
@Configuration(proxyBeanMethods = false)
class HealthIndicators {

    @Bean
    HealthIndicator ollamaHealthIndicator(OllamaServer ollama, InferenceProperties inference) {
        return () -> {
            var status = ollama.status();
            Health.Builder health = status.reachable() || inference.allowFallback() ? Health.up() : Health.down();
            health.withDetail("base_url", status.baseUrl()).withDetail("reachable", status.reachable())
                    .withDetail("models_present", status.modelsPresent());
            if (status.processor() != null) {
                health.withDetail("processor", status.processor());
            }
            if (status.error() != null) {
                health.withDetail("error", status.error());
            }
            return health.build();
        };
    }

    @Bean
    HealthIndicator neo4jHealthIndicator(GraphHealth graph) {
        return () -> {
            var status = graph.status();
            Health.Builder health = status.reachable() ? Health.up().withDetail("version", status.version())
                    : Health.down().withDetail("error", String.valueOf(status.error()));
            return health.withDetail("embedded", status.embedded()).build();
        };
    }
}
