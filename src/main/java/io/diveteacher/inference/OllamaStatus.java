package io.diveteacher.inference;

import java.util.Map;

/**
 * What Ollama reports about itself right now.
 *
 * @param processor where the generation model runs, as {@code ollama ps} shows it ("100% GPU", "100% CPU",
 *     "48%/52% CPU/GPU"), or "not loaded" when it is not in memory, null when Ollama is unreachable
 * @param error why Ollama could not be asked, null when it answered
 */
public record OllamaStatus(String baseUrl, boolean reachable, String version, Map<String, Boolean> modelsPresent,
        String processor, String error) {

    public boolean onCpu() {
        return processor != null && processor.contains("CPU");
    }
}
