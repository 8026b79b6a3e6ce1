package io.diveteacher.ingestion;

import java.time.Duration;
import java.time.Instant;

import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.TransientException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import io.diveteacher.graph.GraphSchema;
import io.diveteacher.inference.ModelSelection;
import io.diveteacher.inference.ModelsReady;

/**
 * Creates the graph schema, with the vector index sized for the embedding model in use, once the models are decided
 * (at start-up, or under prod when Ollama is first usable) and Neo4j answers. A Neo4j server that is not up yet is
 * tried again every few seconds on the application's task scheduler (the application runs unhealthy meanwhile); any
 * other problem, such as a vector index of another dimension, stops start-up; except under the {@code reembed}
 * command ({@code diveteacher.reembedding}), whose job rebuilds that index.
 */
@Component
class GraphStartup {

    private static final Logger log = LoggerFactory.getLogger(GraphStartup.class);

    private final GraphSchema schema;
    private final TaskScheduler scheduler;
    private final Duration retryInterval;
    private final boolean reembedding;

    @Autowired
    GraphStartup(GraphSchema schema, TaskScheduler scheduler,
            @Value("${diveteacher.reembedding:false}") boolean reembedding) {
        this(schema, scheduler, Duration.ofSeconds(10), reembedding);
    }

    GraphStartup(GraphSchema schema, TaskScheduler scheduler, Duration retryInterval) {
        this(schema, scheduler, retryInterval, false);
    }

    GraphStartup(GraphSchema schema, TaskScheduler scheduler, Duration retryInterval, boolean reembedding) {
        this.schema = schema;
        this.scheduler = scheduler;
        this.retryInterval = retryInterval;
        this.reembedding = reembedding;
    }

    @EventListener
    void modelsReady(ModelsReady ready) {
        ensure(ready.selection());
    }

    private void ensure(ModelSelection selection) {
        try {
            schema.ensure(selection.dimensions(), selection.embeddingModel());
        } catch (ServiceUnavailableException | SessionExpiredException e) {
            log.error("Neo4j does not answer ({}): the graph schema is created once it does; trying every {} s",
                    e.getMessage(), retryInterval.toSeconds());
            scheduler.schedule(() -> ensure(selection), Instant.now().plus(retryInterval));
        } catch (TransientException | ClientException e) {
            // Another process (the manager, a worker) creates the same indexes at this moment: look again shortly.
            if (e instanceof ClientException && !String.valueOf(e.getMessage()).contains("already exists")) {
                throw e;
            }
            log.info("Another process is creating the graph schema ({}); checking it again in 1 s", e.getMessage());
            scheduler.schedule(() -> ensure(selection), Instant.now().plusSeconds(1));
        } catch (GraphSchema.VectorIndexMismatchException e) {
            if (!reembedding) {
                throw e;
            }
            log.warn("The vector index is of another size than {} makes: the reembed job rebuilds it",
                    selection.embeddingModel());
        }
    }
}
