package io.diveteacher.inference;

import org.springframework.validation.annotation.Validated;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.AssertTrue;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the application reaches its models. The Ollama URL and model names come from Spring AI's own
 * properties (bound to {@code OLLAMA_BASE_URL}, {@code OLLAMA_MODEL}, {@code OLLAMA_EMBED_MODEL}). The settings read
 * from environment variables have their defaults in {@code application.yml}, next to the variable; the others here.
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
 * @param cacheMaxEntries model results kept in the cache ({@link ModelResults}); the least recently used beyond it go
 */
@ConfigurationProperties("diveteacher.inference")
@Validated
public record InferenceProperties(
        @NotBlank String baseUrl,
        @NotBlank String chatModel,
        @NotBlank String embeddingModel,
        @Min(value = 1, message = "OLLAMA_NUM_PARALLEL must be between 1 and 64, was ${validatedValue}")
        @Max(value = 64, message = "OLLAMA_NUM_PARALLEL must be between 1 and 64, was ${validatedValue}")
        int numParallel,
        @Min(value = 512, message = "diveteacher.inference.num-ctx must be at least 512, was ${validatedValue}")
        int numCtx,
        @Min(value = 64, message = "diveteacher.inference.num-predict must be at least 64, was ${validatedValue}")
        @DefaultValue("2048") int numPredict,
        boolean pullModels,
        @DefaultValue("true") boolean allowFallback,
        @DefaultValue("3s") Duration probeTimeout,
        @DefaultValue("10s") Duration retryInterval,
        @Min(value = 0, message = "diveteacher.inference.cache-max-entries must be at least 0, was ${validatedValue}")
        @DefaultValue("200000") long cacheMaxEntries) {

    @ConstructorBinding
    public InferenceProperties {
    }

    /** Settings with the default cache bound. */
    public InferenceProperties(String baseUrl, String chatModel, String embeddingModel, int numParallel, int numCtx,
            int numPredict, boolean pullModels, boolean allowFallback, Duration probeTimeout, Duration retryInterval) {
        this(baseUrl, chatModel, embeddingModel, numParallel, numCtx, numPredict, pullModels, allowFallback,
                probeTimeout, retryInterval, 200_000);
    }

    /** Room in the context window for the prompt: the answer may not take all of it. */
    @AssertTrue(message = "diveteacher.inference.num-predict must be less than num-ctx (OLLAMA_NUM_CTX)")
    public boolean isNumPredictWithinContext() {
        return numPredict < numCtx;
    }
}
