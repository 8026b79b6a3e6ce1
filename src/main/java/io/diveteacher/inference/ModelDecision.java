package io.diveteacher.inference;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Decides the models when the application starts (a lifecycle callback: no I/O in a constructor): Ollama when it is
 * reachable and has both models; else, where allowed, the in-process fallback, announced loudly; else (the prod
 * profile, or a production build) none yet: the application runs unhealthy and tries Ollama again every
 * {@code retryInterval} on the application's task scheduler, pulling missing models there when
 * {@code OLLAMA_PULL_MODELS=true} (never falling back meanwhile), until Ollama is usable.
 */
@Component
class ModelDecision implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelDecision.class);
    private static final String FALLBACK_EMBEDDING = "all-MiniLM-L6-v2 (in-process)";
    private static final String FALLBACK_EXTRACTION = "noun phrases and co-occurrence (in-process)";
    /** Stands for the fallback's digest in cache keys: change it when the in-process models change. */
    private static final String FALLBACK_VERSION = "in-process-1";

    private final InferenceProperties properties;
    private final ModelRuntime runtime;
    private final OllamaProbe probe;
    private final EmbeddingModel ollamaEmbeddingModel;
    private final ObjectProvider<LocalModels> localModels;
    private final ModelMetrics metrics;
    private final TaskScheduler scheduler;
    private final ModelSlots embeddingSlots;
    private volatile ScheduledFuture<?> retry;
    private volatile boolean running;

    ModelDecision(InferenceProperties properties, ModelRuntime runtime, OllamaProbe probe,
            EmbeddingModel ollamaEmbeddingModel, ObjectProvider<LocalModels> localModels, ModelMetrics metrics,
            TaskScheduler scheduler) {
        this.properties = properties;
        this.runtime = runtime;
        this.probe = probe;
        this.ollamaEmbeddingModel = ollamaEmbeddingModel;
        this.localModels = localModels;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.embeddingSlots = new ModelSlots("embedding", properties.numParallel(), metrics.registry());
    }

    /** Early, before the graph's schema and the scheduled jobs, which wait for the models. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    @Override
    public void start() {
        running = true;
        OllamaStatus status = probe.status();
        String problem = probe.problem(status);
        if (problem == null) {
            runtime.ready(ollama(status));
            return;
        }
        if (probe.pullable(status)) {
            // Never the fallback while a pull runs: its embeddings would not fit the index Ollama's make.
            runtime.unavailable(problem, true);
            log.warn("{}; the application is not ready until the pull completes", problem);
            retry = scheduler.scheduleWithFixedDelay(this::retry, Instant.now(), properties.retryInterval());
            return;
        }
        LocalModels local = localModels.getIfAvailable();
        if (properties.allowFallback() && local != null) {
            Embeddings fallback = local.embeddings();
            log.warn("""

                    *** {}.
                    *** Using the in-process FALLBACK models: {} embeddings and {} extraction.
                    *** Graph and answer quality are much lower. Start Ollama or set OLLAMA_BASE_URL to use real models.""",
                    problem, FALLBACK_EMBEDDING, FALLBACK_EXTRACTION);
            runtime.ready(new ModelRuntime.Models(new ModelSelection(true, problem, FALLBACK_EMBEDDING,
                    FALLBACK_EXTRACTION, fallback.dimensions(), null, FALLBACK_VERSION, FALLBACK_VERSION),
                    new MeteredEmbeddings(fallback, embeddingSlots, metrics)));
            return;
        }
        // An orchestrator sees the reason in /api/health, and the application recovers when Ollama comes up.
        String reason = problem + (local == null ? " (this build has no in-process fallback models)"
                : " (the fallback models are disabled: diveteacher.inference.allow-fallback=false, the prod profile)");
        runtime.unavailable(reason, false);
        log.error("""

                *** {}.
                *** Questions and ingestion fail until Ollama answers; trying again every {} s.""",
                reason, properties.retryInterval().toSeconds());
        retry = scheduler.scheduleWithFixedDelay(this::retry, Instant.now().plus(properties.retryInterval()),
                properties.retryInterval());
    }

    private ModelRuntime.Models ollama(OllamaStatus status) {
        int dimensions = probe.embeddingDimensions();
        log.info("Models: Ollama {} at {}: extraction {}, embeddings {} ({} dimensions), {} parallel slots",
                status.version(), properties.baseUrl(), properties.chatModel(), properties.embeddingModel(), dimensions,
                properties.numParallel());
        return new ModelRuntime.Models(new ModelSelection(false, null, properties.embeddingModel(),
                properties.chatModel(), dimensions, status.version(), status.digest(properties.embeddingModel()),
                status.digest(properties.chatModel())), new MeteredEmbeddings(new OllamaEmbeddings(
                        ollamaEmbeddingModel, properties.embeddingModel(), dimensions), embeddingSlots, metrics));
    }

    /** Ollama once more: pulls what is missing when configured to, and makes the models ready when it can. */
    private void retry() {
        if (runtime.decided()) {
            cancelRetry();
            return;
        }
        try {
            OllamaStatus status = probe.status();
            if (probe.pullable(status)) {
                runtime.unavailable(probe.problem(status), true);
                String failed = probe.pull(status);
                if (failed != null) {
                    runtime.unavailable(failed, false);
                    log.warn("{}; trying again in {} s", failed, properties.retryInterval().toSeconds());
                    return;
                }
                status = probe.status();
            }
            String problem = probe.problem(status);
            if (problem != null) {
                runtime.unavailable(problem, false);
                log.debug("Ollama still not usable: {}", problem);
                return;
            }
            runtime.ready(ollama(status));
            cancelRetry();
        } catch (RuntimeException e) {
            runtime.unavailable("Ollama answers, but setting up its models failed: " + e.getMessage(), false);
            log.warn("Ollama answers, but setting up its models failed: {}", e.getMessage());
        }
    }

    private void cancelRetry() {
        ScheduledFuture<?> scheduled = retry;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    @Override
    public void stop() {
        running = false;
        ScheduledFuture<?> scheduled = retry;
        if (scheduled != null) {
            scheduled.cancel(true);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
