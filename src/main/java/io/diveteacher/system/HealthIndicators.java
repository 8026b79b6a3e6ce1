package io.diveteacher.system;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link HealthCheck} as Actuator health indicators ({@code /actuator/health}) for orchestrators: {@code ollama}
 * and {@code neo4j}, down exactly when {@code /api/health} is unhealthy because of them; a degraded Ollama (CPU,
 * fallback models) stays up, with the problems as details.
 */
@Configuration(proxyBeanMethods = false)
class HealthIndicators {

    @Bean
    HealthIndicator ollamaHealthIndicator(HealthCheck health) {
        return health::ollamaHealth;
    }

    @Bean
    HealthIndicator neo4jHealthIndicator(HealthCheck health) {
        return health::neo4jHealth;
    }
}
