package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.neo4j.driver.exceptions.ServiceUnavailableException;

import io.diveteacher.graph.GraphSchema;
import io.diveteacher.inference.ModelsReady;
import io.diveteacher.inference.ModelSelection;

class GraphStartupTests {

    private static final ModelSelection MODELS = new ModelSelection(false, null, "bge-m3", "qwen", 768, "0.12.6");

    private final GraphSchema schema = mock(GraphSchema.class);
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

    private GraphStartup startup() {
        scheduler.initialize();
        return new GraphStartup(schema, scheduler, Duration.ofMillis(50));
    }

    @Test
    void aNeo4jThatDoesNotAnswerYetGetsItsSchemaWhenItDoes() {
        willThrow(new ServiceUnavailableException("Unable to connect to neo4j:7687"))
                .willThrow(new ServiceUnavailableException("Unable to connect to neo4j:7687"))
                .willAnswer(call -> null)
                .given(schema).ensure(768, "bge-m3");
        GraphStartup startup = startup();

        startup.modelsReady(new ModelsReady(MODELS));

        verify(schema, timeout(5000).times(3)).ensure(768, "bge-m3");
        scheduler.shutdown();
    }

    @Test
    void aVectorIndexOfAnotherDimensionStillStopsStartUp() {
        willThrow(new GraphSchema.VectorIndexMismatchException(
                "The graph's vector index 'chunk_embedding' holds 384-dimensional embeddings"))
                .given(schema).ensure(768, "bge-m3");

        assertThatThrownBy(() -> startup().modelsReady(new ModelsReady(MODELS))).hasMessageContaining("384-dimensional");
        scheduler.shutdown();
    }

    @Test
    void underTheReembedCommandAVectorIndexOfAnotherDimensionIsLeftToItsJob() {
        willThrow(new GraphSchema.VectorIndexMismatchException(
                "The graph's vector index 'chunk_embedding' holds 384-dimensional embeddings"))
                .given(schema).ensure(768, "bge-m3");
        scheduler.initialize();

        new GraphStartup(schema, scheduler, Duration.ofMillis(50), true).modelsReady(new ModelsReady(MODELS));

        verify(schema).ensure(768, "bge-m3");
        scheduler.shutdown();
    }
}
