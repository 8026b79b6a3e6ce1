package io.diveteacher.inference;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.management.ModelManagementOptions;
import org.springframework.ai.ollama.management.OllamaModelManager;
import org.springframework.ai.ollama.management.PullModelStrategy;
import org.springframework.stereotype.Component;

/**
 * Whether Ollama can serve our models: reachable and with both models (pulled first when
 * {@code OLLAMA_PULL_MODELS=true}, which can take a long while), and the length of the embedding model's vectors.
 */
@Component
class OllamaProbe {

    private static final Logger log = LoggerFactory.getLogger(OllamaProbe.class);

    private final InferenceProperties properties;
    private final OllamaStatusClient status;
    private final OllamaApi api;
    private final EmbeddingModel embeddingModel;
    private final ModelMetrics metrics;

    OllamaProbe(InferenceProperties properties, OllamaStatusClient status, OllamaApi api, EmbeddingModel embeddingModel,
            ModelMetrics metrics) {
        this.properties = properties;
        this.status = status;
        this.api = api;
        this.embeddingModel = embeddingModel;
        this.metrics = metrics;
    }

    /** Ollama now, as its status reports it. */
    OllamaStatus status() {
        return status.status();
    }

    /** Null when Ollama is usable, else what is wrong with it. */
    String problem(OllamaStatus status) {
        String url = status.baseUrl();
        if (!status.reachable()) {
            return "Ollama is not reachable at " + url + " (" + status.error() + ")";
        }
        List<String> missing = missing(status);
        if (missing.isEmpty()) {
            return null;
        }
        return "Ollama at " + url + " does not have the model(s) " + String.join(", ", missing)
                + (properties.pullModels() ? " yet: pulling them (OLLAMA_PULL_MODELS=true)"
                        : " (run `ollama pull <model>` or set OLLAMA_PULL_MODELS=true)");
    }

    /** Whether the only problem is models that are missing and may be pulled. */
    boolean pullable(OllamaStatus status) {
        return status.reachable() && properties.pullModels() && !missing(status).isEmpty();
    }

    /** Pulls the missing models; null when done, else why not. Blocks as long as the pull takes. */
    String pull(OllamaStatus status) {
        OllamaModelManager manager = new OllamaModelManager(api,
                new ModelManagementOptions(PullModelStrategy.WHEN_MISSING, List.of(), Duration.ofHours(2), 0));
        for (String model : missing(status)) {
            log.info("Pulling model {} from Ollama at {} (OLLAMA_PULL_MODELS=true); this can take minutes", model,
                    status.baseUrl());
            try {
                manager.pullModel(model, PullModelStrategy.WHEN_MISSING);
            } catch (RuntimeException e) {
                return "Ollama at " + status.baseUrl() + " could not pull " + model + ": " + e.getMessage();
            }
            log.info("Model {} is ready", model);
        }
        return null;
    }

    private static List<String> missing(OllamaStatus status) {
        return status.modelsPresent().entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    }

    /** The embedding model's vector length: from {@code /api/show}, or by embedding a probe text on older servers. */
    int embeddingDimensions() {
        try {
            var info = api.showModel(new OllamaApi.ShowModelRequest(properties.embeddingModel())).modelInfo();
            if (info != null) {
                for (var entry : info.entrySet()) {
                    if (entry.getKey().endsWith(".embedding_length") && entry.getValue() instanceof Number n) {
                        return n.intValue();
                    }
                }
            }
        } catch (RuntimeException e) {
            log.debug("/api/show did not tell the embedding length of {}", properties.embeddingModel(), e);
        }
        metrics.called();
        return embeddingModel.embed("dimension probe").length;
    }
}
