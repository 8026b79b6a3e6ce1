package io.diveteacher.inference;

import java.util.Map;

/**
 * What Ollama reports about itself right now.
 *
 * @param processor where the generation model runs, as {@code ollama ps} shows it ("100% GPU", "100% CPU",
 *     "48%/52% CPU/GPU"), or "not loaded" when it is not in memory, null when Ollama is unreachable
 * @param error why Ollama could not be asked, null when it answered
 * @param digests the digest {@code /api/tags} gives for each of the configured models present (what identifies the
 *     model's weights: a model pulled again under the same name may have other ones)
 */
public record OllamaStatus(String baseUrl, boolean reachable, String version, Map<String, Boolean> modelsPresent,
        String processor, String error, Map<String, String> digests) {

    public OllamaStatus(String baseUrl, boolean reachable, String version, Map<String, Boolean> modelsPresent,
            String processor, String error) {
        this(baseUrl, reachable, version, modelsPresent, processor, error, Map.of());
    }

    /** The digest of a configured model, or "" when Ollama did not give one. */
    public String digest(String model) {
        return digests.getOrDefault(model, "");
    }

    public boolean onCpu() {
        return processor != null && processor.contains("CPU");
    }
}
