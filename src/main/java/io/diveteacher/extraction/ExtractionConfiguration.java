package io.diveteacher.extraction;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The default extractor: for the application's ontology ({@code diveteacher.ontology}). */
@Configuration(proxyBeanMethods = false)
class ExtractionConfiguration {

    @Bean
    EntityExtractor entityExtractor(EntityExtractors extractors, Ontology ontology) {
        return extractors.forOntology(ontology);
    }
}
