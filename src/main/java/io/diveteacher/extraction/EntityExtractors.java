package io.diveteacher.extraction;

import org.springframework.stereotype.Component;

import io.diveteacher.inference.InferenceProperties;
import io.diveteacher.inference.ModelChat;
import io.diveteacher.inference.ModelRuntime;

/**
 * Makes the extractor for an ontology, matching the models in use at each call: the LLM with Ollama, phrases with
 * the fallback (the models are decided after the beans are made, and under prod only once Ollama answers). The
 * application's ontology gives the default extractor; a job definition may bring its own.
 */
@Component
public class EntityExtractors {

    private final ModelChat chat;
    private final ModelRuntime models;
    private final InferenceProperties inference;

    EntityExtractors(ModelChat chat, ModelRuntime models, InferenceProperties inference) {
        this.chat = chat;
        this.models = models;
        this.inference = inference;
    }

    public EntityExtractor forOntology(Ontology ontology) {
        EntityExtractor llm = new LlmEntityExtractor(chat, models, inference, ontology);
        EntityExtractor phrases = new PhraseEntityExtractor(ontology);
        return new EntityExtractor() {
            @Override
            public ExtractedGraph extract(String text) {
                return current().extract(text);
            }

            @Override
            public String model() {
                return current().model();
            }

            @Override
            public String fingerprint() {
                return current().fingerprint();
            }

            private EntityExtractor current() {
                return models.selection().fallback() ? phrases : llm;
            }
        };
    }
}
