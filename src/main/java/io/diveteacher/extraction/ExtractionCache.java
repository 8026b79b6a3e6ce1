package io.diveteacher.extraction;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.diveteacher.inference.ModelResults;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Extractions by content: a chunk whose text was extracted before with the same extractor fingerprint (model and
 * digest, ontology, prompts, options) gets the stored result instead of a model call. Only complete extractions are
 * stored: a partial one is to be asked for again.
 */
@Component
public class ExtractionCache {

    private static final Logger log = LoggerFactory.getLogger(ExtractionCache.class);
    // Its own mapper: the stored form must not change with the web API's naming settings.
    private static final JsonMapper JSON = JsonMapper.shared();

    private final ModelResults results;

    ExtractionCache(ModelResults results) {
        this.results = results;
    }

    /** The key of a text's extraction by this extractor (computed once per chunk by the caller). */
    public String key(EntityExtractor extractor, String text) {
        return ModelResults.key(extractor.fingerprint(), text);
    }

    public Optional<ExtractedGraph> find(String key) {
        return results.find(ModelResults.EXTRACTION, key).flatMap(json -> {
            try {
                return Optional.of(JSON.readValue(json, ExtractedGraph.class));
            } catch (JacksonException e) {
                log.warn("Cached extraction {} is unreadable ({}); extracting again", key, e.getOriginalMessage());
                return Optional.empty();
            }
        });
    }

    /** Stores a complete extraction, on the cache's own thread (the caller holds a model slot). */
    public void store(String key, ExtractedGraph graph) {
        if (graph.complete()) {
            results.putLater(ModelResults.EXTRACTION, key, () -> JSON.writeValueAsString(graph));
        }
    }
}
