package io.diveteacher.system;

import java.util.List;

import io.diveteacher.graph.Neo4jStatus;
import io.diveteacher.inference.OllamaStatus;

/**
 * The answer of {@code GET /api/health}.
 *
 * @param status healthy, degraded (usable, something is off: see {@code problems}) or unhealthy
 * @param fallback whether the in-process fallback models stand in for Ollama
 */
record SystemHealth(String status, String ollamaModel, String embeddingModel, OllamaStatus ollama, Neo4jStatus neo4j,
        String version, boolean fallback, List<String> problems) {

    static final String HEALTHY = "healthy";
    static final String DEGRADED = "degraded";
    static final String UNHEALTHY = "unhealthy";
}
