package io.diveteacher.extraction;

import org.springframework.stereotype.Component;

import io.diveteacher.inference.InferenceProperties;
import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.ModelSelection;

/**
 * Makes the extractor for an ontology, matching the models in use: the LLM with Ollama, phrases with the
 * fallback. The application's ontology gives the default extractor; a job definition may bring its own.
 */
@Component
public class EntityExtractors {

    private final ModelRuntime models;
    private final InferenceProperties inference;

    EntityExtractors(ModelRuntime models, InferenceProperties inference) {
        this.models = models;
        this.inference = inference;
    }

    public EntityExtractor forOntology(Ontology ontology) {
        // No models yet (prod, Ollama not up): it will be Ollama, since that profile never falls back.
        boolean fallback = models.currentSelection().map(ModelSelection::fallback).orElse(false);
        return fallback ? new PhraseEntityExtractor(ontology) : new LlmEntityExtractor(models, inference, ontology);
    }
}
