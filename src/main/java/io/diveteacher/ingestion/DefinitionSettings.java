package io.diveteacher.ingestion;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.diveteacher.document.Chunker;
import io.diveteacher.extraction.EntityExtractor;
import io.diveteacher.extraction.EntityExtractors;

/**
 * The chunker and the extractor a run uses: the application's, or those of its job definition when the
 * definition has its own {@code chunking} or {@code ontology}.
 */
@Component
class DefinitionSettings {

    private final JobDefinitions definitions;
    private final Chunker defaultChunker;
    private final EntityExtractor defaultExtractor;
    private final EntityExtractors extractors;
    private final Map<String, EntityExtractor> byDefinition = new ConcurrentHashMap<>();

    DefinitionSettings(JobDefinitions definitions, Chunker defaultChunker, EntityExtractor defaultExtractor,
            EntityExtractors extractors) {
        this.definitions = definitions;
        this.defaultChunker = defaultChunker;
        this.defaultExtractor = defaultExtractor;
        this.extractors = extractors;
    }

    /** @param definition the run's definition name, or null for a run of paths */
    Chunker chunker(String definition) {
        return definition == null ? defaultChunker : definitions.find(definition)
                .filter(d -> d.chunking() != null).map(d -> new Chunker(d.chunking())).orElse(defaultChunker);
    }

    EntityExtractor extractor(String definition) {
        if (definition == null) {
            return defaultExtractor;
        }
        return definitions.find(definition).filter(d -> d.ontology() != null)
                .map(d -> byDefinition.computeIfAbsent(d.name(), name -> extractors.forOntology(d.ontology())))
                .orElse(defaultExtractor);
    }
}
