package io.diveteacher.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.springframework.boot.health.contributor.Health;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

import io.diveteacher.graph.GraphHealth;
import io.diveteacher.graph.Neo4jStatus;
import io.diveteacher.inference.InferenceProperties;
import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.ModelSelection;
import io.diveteacher.inference.OllamaStatusClient;
import io.diveteacher.inference.OllamaStatus;

/**
 * Decides how healthy the application is from what Ollama and Neo4j report: unhealthy when it cannot work
 * (no graph, or no Ollama where there is no fallback), degraded when it works worse than it should (model
 * on the CPU, fallback models, a model missing), healthy otherwise. The one source of health: {@code /api/health},
 * the web application and Actuator's {@code ollama} and {@code neo4j} indicators ({@link HealthIndicators}) all
 * read it, each part asking only what it is about.
 */
@Component
public class HealthCheck {

    private static final Logger log = LoggerFactory.getLogger(HealthCheck.class);

    private final OllamaStatusClient ollama;
    private final GraphHealth graph;
    private final ModelRuntime models;
    private final InferenceProperties inference;
    private final String version;
    private final AtomicBoolean warnedAboutCpu = new AtomicBoolean();
    /** Stands for Neo4j where only Ollama's part is asked for: it adds no problem of its own. */
    private static final Neo4jStatus NEO4J_NOT_ASKED = new Neo4jStatus(true, null, false, null);

    HealthCheck(OllamaStatusClient ollama, GraphHealth graph, ModelRuntime models, InferenceProperties inference,
            ObjectProvider<BuildProperties> build) {
        this.ollama = ollama;
        this.graph = graph;
        this.models = models;
        this.inference = inference;
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? "development" : properties.getVersion();
    }

    /** Asks Ollama and Neo4j now. */
    public SystemHealth check() {
        return assess(ollama.status(), graph.status());
    }

    /** Ollama's part of the health, asking Ollama only. */
    Health ollamaHealth() {
        return ollama(assess(ollama.status(), NEO4J_NOT_ASKED));
    }

    /** Neo4j's part of the health, asking Neo4j only. */
    Health neo4jHealth() {
        return neo4j(graph.status());
    }

    /** Ollama's part of the health, as Actuator shows it: down exactly when /api/health is unhealthy for it. */
    static Health ollama(SystemHealth health) {
        var status = health.ollama();
        Health.Builder builder = health.modelsUsable() ? Health.up() : Health.down();
        builder.withDetail("base_url", status.baseUrl()).withDetail("reachable", status.reachable())
                .withDetail("models_present", status.modelsPresent()).withDetail("fallback", health.fallback());
        if (status.processor() != null) {
            builder.withDetail("processor", status.processor());
        }
        if (status.error() != null) {
            builder.withDetail("error", status.error());
        }
        if (!health.problems().isEmpty()) {
            builder.withDetail("problems", health.problems());
        }
        return builder.build();
    }

    /** Neo4j's part of the health, as Actuator shows it. */
    static Health neo4j(Neo4jStatus status) {
        Health.Builder builder = status.reachable() ? Health.up().withDetail("version", status.version())
                : Health.down().withDetail("error", String.valueOf(status.error()));
        return builder.withDetail("embedded", status.embedded()).build();
    }

    SystemHealth assess(OllamaStatus ollamaStatus, Neo4jStatus neo4j) {
        Optional<ModelSelection> selection = models.currentSelection();
        boolean fallback = selection.map(ModelSelection::fallback).orElse(false);
        List<String> problems = new ArrayList<>();
        boolean unhealthy = false;
        boolean modelsUsable = selection.isPresent() && (fallback || ollamaStatus.reachable());
        if (!neo4j.reachable()) {
            unhealthy = true;
            problems.add("Neo4j does not answer: " + neo4j.error());
        }
        if (!ollamaStatus.reachable()) {
            // Without the fallback in use, nothing can be embedded or answered while Ollama is down.
            unhealthy |= !fallback;
            problems.add("Ollama is not reachable at " + ollamaStatus.baseUrl() + " (" + ollamaStatus.error() + ")");
        } else {
            ollamaStatus.modelsPresent().forEach((model, present) -> {
                if (!present) {
                    problems.add("model " + model + " is not in Ollama: run `ollama pull " + model
                            + "` or start with OLLAMA_PULL_MODELS=true");
                }
            });
            if (ollamaStatus.onCpu()) {
                problems.add("the generation model runs on the CPU (" + ollamaStatus.processor() + "): give the Ollama "
                        + "container the GPU (NVIDIA Container Toolkit, see the deployment docs)");
                if (warnedAboutCpu.compareAndSet(false, true)) {
                    log.warn("Ollama runs {} on the CPU ({}): answers will be slow. Give the Ollama container the GPU "
                            + "with the NVIDIA Container Toolkit (see README, Deployment).", inference.chatModel(),
                            ollamaStatus.processor());
                }
            } else {
                warnedAboutCpu.set(false);
            }
        }
        if (selection.isEmpty()) {
            unhealthy = true;
            if (ollamaStatus.reachable()) {
                problems.add("the models are not ready yet: " + models.unavailableReason());
            }
        } else if (fallback) {
            problems.add("in-process fallback models are in use (" + selection.get().reason() + ")");
        }
        String status = unhealthy ? SystemHealth.UNHEALTHY : problems.isEmpty() ? SystemHealth.HEALTHY : SystemHealth.DEGRADED;
        return new SystemHealth(status, inference.chatModel(), inference.embeddingModel(), ollamaStatus, neo4j, version,
                fallback, modelsUsable, problems);
    }
}
