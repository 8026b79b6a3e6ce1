package io.diveteacher.ingestion;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import io.diveteacher.graph.GraphSchema;
import io.diveteacher.inference.ModelRuntime;

/**
 * Creates the graph schema at start-up (or once the models are ready), with the vector index sized for the
 * embedding model in use.
 */
@Component
class GraphStartup implements SmartInitializingSingleton {

    private final GraphSchema schema;
    private final ModelRuntime models;

    GraphStartup(GraphSchema schema, ModelRuntime models) {
        this.schema = schema;
        this.models = models;
    }

    @Override
    public void afterSingletonsInstantiated() {
        // Without Ollama under the prod profile this waits until Ollama is first usable.
        models.whenReady(selection -> schema.ensure(selection.dimensions(), selection.embeddingModel()));
    }
}
