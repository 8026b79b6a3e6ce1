package io.diveteacher.extraction;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.ModelSelection;

/** Picks the extractor that matches the models in use: the LLM with Ollama, phrases with the fallback. */
@Configuration(proxyBeanMethods = false)
class ExtractionConfiguration {

    @Bean
    EntityExtractor entityExtractor(ModelRuntime models, Ontology ontology) {
        // No models yet (prod, Ollama not up): it will be Ollama, since that profile never falls back.
        boolean fallback = models.currentSelection().map(ModelSelection::fallback).orElse(false);
        return fallback ? new PhraseEntityExtractor(ontology) : new LlmEntityExtractor(models, ontology);
    }
}
