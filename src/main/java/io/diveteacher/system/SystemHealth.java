package io.diveteacher.system;

import java.util.List;

import io.diveteacher.graph.Neo4jStatus;
import io.diveteacher.inference.OllamaStatus;

/**
 * The answer of {@code GET /api/health}.
 *
 * @param status healthy, degraded (usable, something is off: see {@code problems}) or unhealthy
 * @param fallback whether the in-process fallback models stand in for Ollama
 * @param modelsUsable whether questions and ingestion can use models now: decided, and Ollama reachable unless the
 *        fallback is in use
 */
public record SystemHealth(String status, String ollamaModel, String embeddingModel, OllamaStatus ollama, Neo4jStatus neo4j,
        String version, boolean fallback, boolean modelsUsable, List<String> problems) {

    public static final String HEALTHY = "healthy";
    public static final String DEGRADED = "degraded";
    public static final String UNHEALTHY = "unhealthy";

    /** Where the generation model runs, as {@code ollama ps} says it ("100% GPU", ...), or null when unknown. */
    public String processor() {
        return ollama.reachable() ? ollama.processor() : null;
    }

    /**
     * The processor as a traffic light: {@code gpu} (all on the GPU), {@code cpu} (all on the CPU), {@code split}
     * (partly on each: the model does not fit in VRAM), {@code idle} (not loaded yet) or {@code unknown}.
     */
    public String processorState() {
        String processor = processor();
        if (processor == null) {
            return "unknown";
        }
        if (processor.equals("not loaded")) {
            return "idle";
        }
        if (processor.contains("/")) {
            return "split";
        }
        return processor.contains("GPU") ? "gpu" : "cpu";
    }
}
