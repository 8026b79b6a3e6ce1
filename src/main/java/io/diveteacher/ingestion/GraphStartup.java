package io.diveteacher.ingestion;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.diveteacher.graph.GraphSchema;
import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.ModelSelection;

/**
 * Creates the graph schema at start-up, with the vector index sized for the embedding model in use: once the
 * models are decided (under prod, when Ollama is first usable) and once Neo4j answers. A Neo4j server that is
 * not up yet is tried again every few seconds (the application runs unhealthy meanwhile); any other problem,
 * such as a vector index of another dimension, stops start-up.
 */
@Component
class GraphStartup implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(GraphStartup.class);

    private final GraphSchema schema;
    private final ModelRuntime models;
    private final Duration retryInterval;
    private ScheduledExecutorService retry;

    @Autowired
    GraphStartup(GraphSchema schema, ModelRuntime models) {
        this(schema, models, Duration.ofSeconds(10));
    }

    GraphStartup(GraphSchema schema, ModelRuntime models, Duration retryInterval) {
        this.schema = schema;
        this.models = models;
        this.retryInterval = retryInterval;
    }

    @Override
    public void afterSingletonsInstantiated() {
        models.whenReady(this::ensure);
    }

    private void ensure(ModelSelection selection) {
        try {
            schema.ensure(selection.dimensions(), selection.embeddingModel());
        } catch (ServiceUnavailableException | SessionExpiredException e) {
            log.error("Neo4j does not answer ({}): the graph schema is created once it does; trying every {} s",
                    e.getMessage(), retryInterval.toSeconds());
            synchronized (this) {
                if (retry == null) {
                    retry = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("schema-retry").factory());
                }
                retry.schedule(() -> ensure(selection), retryInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (retry != null) {
            retry.shutdownNow();
        }
    }
}
