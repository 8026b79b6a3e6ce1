package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.neo4j.driver.exceptions.ServiceUnavailableException;

import io.diveteacher.graph.GraphSchema;
import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.ModelSelection;

class GraphStartupTests {

    private static final ModelSelection MODELS = new ModelSelection(false, null, "nomic-embed-text", "qwen", 768, "0.12.6");

    private final GraphSchema schema = mock(GraphSchema.class);
    private final ModelRuntime models = mock(ModelRuntime.class);

    @SuppressWarnings("unchecked")
    private GraphStartup startup() {
        willAnswer(call -> {
            ((Consumer<ModelSelection>) call.getArgument(0)).accept(MODELS);
            return null;
        }).given(models).whenReady(any());
        return new GraphStartup(schema, models, Duration.ofMillis(50));
    }

    @Test
    void aNeo4jThatDoesNotAnswerYetGetsItsSchemaWhenItDoes() {
        willThrow(new ServiceUnavailableException("Unable to connect to neo4j:7687"))
                .willThrow(new ServiceUnavailableException("Unable to connect to neo4j:7687"))
                .willAnswer(call -> null)
                .given(schema).ensure(768, "nomic-embed-text");
        GraphStartup startup = startup();

        startup.afterSingletonsInstantiated();

        verify(schema, timeout(5000).times(3)).ensure(768, "nomic-embed-text");
        startup.stop();
    }

    @Test
    void aVectorIndexOfAnotherDimensionStillStopsStartUp() {
        willThrow(new IllegalStateException("The graph's vector index 'chunk_embedding' holds 384-dimensional embeddings"))
                .given(schema).ensure(768, "nomic-embed-text");

        assertThatThrownBy(() -> startup().afterSingletonsInstantiated()).hasMessageContaining("384-dimensional");
    }
}
