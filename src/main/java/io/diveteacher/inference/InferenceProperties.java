package io.diveteacher.inference;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the application reaches its models. The Ollama URL and model names come from Spring AI's own
 * properties (bound to {@code OLLAMA_BASE_URL}, {@code OLLAMA_MODEL}, {@code OLLAMA_EMBED_MODEL}).
 *
 * @param baseUrl Ollama's URL, the only thing the code knows about where Ollama runs
 * @param chatModel the generation and extraction model
 * @param embeddingModel the embedding model
 * @param numParallel requests Ollama serves at once per model ({@code OLLAMA_NUM_PARALLEL}); never more are sent
 * @param numCtx context window requested for every chat call (Spring AI would otherwise use 2048)
 * @param numPredict most tokens a structured answer may have; a longer one is cut and repaired, not awaited forever
 * @param pullModels pull missing models at start-up ({@code OLLAMA_PULL_MODELS})
 * @param allowFallback use the in-process models when Ollama is unreachable (local profile) or fail (prod)
 * @param probeTimeout how long the start-up probe waits for Ollama
 * @param retryInterval how often Ollama is tried again when it was not usable at start-up and there is no fallback
 */
@ConfigurationProperties("diveteacher.inference")
public record InferenceProperties(
        @DefaultValue("http://localhost:11434") String baseUrl,
        @DefaultValue("qwen2.5:7b-instruct-q8_0") String chatModel,
        @DefaultValue("nomic-embed-text") String embeddingModel,
        @DefaultValue("4") int numParallel,
        @DefaultValue("8192") int numCtx,
        @DefaultValue("2048") int numPredict,
        @DefaultValue("false") boolean pullModels,
        @DefaultValue("true") boolean allowFallback,
        @DefaultValue("3s") Duration probeTimeout,
        @DefaultValue("10s") Duration retryInterval) {

    public InferenceProperties {
        if (numParallel < 1 || numParallel > 64) {
            throw new IllegalArgumentException("OLLAMA_NUM_PARALLEL must be between 1 and 64, was " + numParallel);
        }
        if (numPredict < 64 || numPredict >= numCtx) {
            throw new IllegalArgumentException("diveteacher.inference.num-predict must be between 64 and num-ctx ("
                    + numCtx + "), was " + numPredict);
        }
        if (numCtx < 512) {
            throw new IllegalArgumentException("diveteacher.inference.num-ctx must be at least 512, was " + numCtx);
        }
    }
}
