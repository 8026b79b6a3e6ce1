package io.diveteacher.extraction;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.diveteacher.inference.ModelRuntime;

/** Picks the extractor that matches the models in use: the LLM with Ollama, phrases with the fallback. */
@Configuration(proxyBeanMethods = false)
class ExtractionConfiguration {

    @Bean
    EntityExtractor entityExtractor(ModelRuntime models, Ontology ontology) {
        return models.selection().fallback() ? new PhraseEntityExtractor(ontology) : new LlmEntityExtractor(models, ontology);
    }
}
