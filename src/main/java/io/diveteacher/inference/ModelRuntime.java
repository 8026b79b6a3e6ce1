package io.diveteacher.inference;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.ollama.management.ModelManagementOptions;
import org.springframework.ai.ollama.management.OllamaModelManager;
import org.springframework.ai.ollama.management.PullModelStrategy;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;

/**
 * The models this process uses, decided once at start-up by probing Ollama: Ollama when it is reachable
 * and has both models (pulling them first when {@code OLLAMA_PULL_MODELS=true}), else, where allowed, the
 * in-process fallback, announced loudly. Every model call goes through here, bounded by the parallel
 * slots and counted.
 */
@Component
public class ModelRuntime {

    private static final Logger log = LoggerFactory.getLogger(ModelRuntime.class);
    private static final String FALLBACK_EMBEDDING = "all-MiniLM-L6-v2 (in-process)";
    private static final String FALLBACK_EXTRACTION = "noun phrases and co-occurrence (in-process)";

    private final InferenceProperties properties;
    private final MeterRegistry meters;
    private final OllamaServer ollamaServer;
    private final OllamaApi ollamaApi;
    private final EmbeddingModel ollamaEmbeddingModel;
    private final ChatModel chatModel;
    private final ModelSlots chatSlots;
    private final ModelSlots embeddingSlots;
    private final AtomicLong calls = new AtomicLong();
    private final List<Consumer<ModelSelection>> whenReady = new CopyOnWriteArrayList<>();
    private final Embeddings embeddings = new CurrentEmbeddings();
    private volatile Models models;
    private volatile String unavailable;
    private ScheduledExecutorService retry;

    /** The models in use once decided: what they are and the embedding model to call. */
    private record Models(ModelSelection selection, Embeddings embeddings) {
    }

    ModelRuntime(InferenceProperties properties, OllamaServer ollamaServer, OllamaApi ollamaApi,
            EmbeddingModel ollamaEmbeddingModel, ChatModel chatModel, ObjectProvider<LocalModels> localModels,
            MeterRegistry meters) {
        this.properties = properties;
        this.meters = meters;
        this.ollamaServer = ollamaServer;
        this.ollamaApi = ollamaApi;
        this.ollamaEmbeddingModel = ollamaEmbeddingModel;
        this.chatModel = chatModel;
        this.chatSlots = new ModelSlots(properties.numParallel());
        this.embeddingSlots = new ModelSlots(properties.numParallel());
        Gauge.builder("diveteacher.model.waiting", chatSlots, ModelSlots::waiting).tag("kind", "chat")
                .description("model calls waiting for a free parallel slot").register(meters);
        Gauge.builder("diveteacher.model.waiting", embeddingSlots, ModelSlots::waiting).tag("kind", "embedding")
                .description("model calls waiting for a free parallel slot").register(meters);
        OllamaStatus status = ollamaServer.status();
        String problem = probe(status, ollamaApi);
        if (problem == null) {
            this.models = ollama(status);
            return;
        }
        LocalModels local = localModels.getIfAvailable();
        if (properties.allowFallback() && local != null) {
            Embeddings fallback = local.embeddings();
            this.models = new Models(new ModelSelection(true, problem, FALLBACK_EMBEDDING, FALLBACK_EXTRACTION,
                    fallback.dimensions(), null), new CountedEmbeddings(fallback, embeddingSlots));
            log.warn("""

                    *** {}.
                    *** Using the in-process FALLBACK models: {} embeddings and {} extraction.
                    *** Graph and answer quality are much lower. Start Ollama or set OLLAMA_BASE_URL to use real models.""",
                    problem, FALLBACK_EMBEDDING, FALLBACK_EXTRACTION);
            return;
        }
        // No fallback (prod profile or production build): start anyway, unhealthy, and keep trying Ollama, so that
        // an orchestrator sees the reason in /api/health and the application recovers when Ollama comes up.
        this.unavailable = problem + (local == null ? " (this build has no in-process fallback models)"
                : " (the fallback models are disabled: diveteacher.inference.allow-fallback=false, the prod profile)");
        log.error("""

                *** {}.
                *** Questions and ingestion fail until Ollama answers; trying again every {} s.""",
                unavailable, properties.retryInterval().toSeconds());
        retry = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ollama-retry").factory());
        long interval = properties.retryInterval().toMillis();
        retry.scheduleWithFixedDelay(this::retry, interval, interval, TimeUnit.MILLISECONDS);
    }

    private Models ollama(OllamaStatus status) {
        int dimensions = embeddingDimensions(ollamaApi, ollamaEmbeddingModel);
        Models ollama = new Models(new ModelSelection(false, null, properties.embeddingModel(), properties.chatModel(),
                dimensions, status.version()), new CountedEmbeddings(new OllamaEmbeddings(ollamaEmbeddingModel,
                        properties.embeddingModel(), dimensions), embeddingSlots));
        log.info("Models: Ollama {} at {}: extraction {}, embeddings {} ({} dimensions), {} parallel slots",
                status.version(), properties.baseUrl(), properties.chatModel(), properties.embeddingModel(), dimensions,
                properties.numParallel());
        return ollama;
    }

    private void retry() {
        try {
            OllamaStatus status = ollamaServer.status();
            String problem = probe(status, ollamaApi);
            if (problem != null) {
                unavailable = problem;
                log.debug("Ollama still not usable: {}", problem);
                return;
            }
            Models ready = ollama(status);
            synchronized (whenReady) {
                for (Consumer<ModelSelection> action : whenReady) {
                    action.accept(ready.selection());
                }
                models = ready;
            }
            unavailable = null;
            retry.shutdown();
        } catch (RuntimeException e) {
            unavailable = "Ollama answers, but setting up its models failed: " + e.getMessage();
            log.warn("{}", unavailable);
        }
    }

    /** Runs {@code action} once the models are decided: now, or when Ollama first becomes usable. */
    public void whenReady(Consumer<ModelSelection> action) {
        synchronized (whenReady) {
            Models current = models;
            if (current == null) {
                whenReady.add(action);
                return;
            }
        }
        action.accept(selection());
    }

    @PreDestroy
    void stopRetrying() {
        if (retry != null) {
            retry.shutdownNow();
        }
    }

    /** The models in use; fails with a transient {@link ModelCallException} while Ollama is not usable yet. */
    public ModelSelection selection() {
        return ready().selection();
    }

    /** The models in use, or empty while Ollama is not usable yet ({@link #unavailableReason()} says why). */
    public Optional<ModelSelection> currentSelection() {
        Models current = models;
        return current == null ? Optional.empty() : Optional.of(current.selection());
    }

    /** Why no models are ready, or null when they are. */
    public String unavailableReason() {
        return models == null ? unavailable : null;
    }

    private Models ready() {
        Models current = models;
        if (current == null) {
            throw new ModelCallException(unavailable, true, null);
        }
        return current;
    }

    /** The embedding model in use (calls fail while no model is ready). */
    public Embeddings embeddings() {
        return embeddings;
    }

    /** Model calls made by this process so far (chat and embedding requests). */
    public long modelCalls() {
        return calls.get();
    }

    /**
     * One non-streamed chat call with structured output: temperature 0, the configured context window and
     * Ollama's JSON-schema {@code format}.
     */
    public ChatReply chat(String system, String user, Map<String, Object> jsonSchema) {
        return chat(system, user, jsonSchema, properties.numPredict());
    }

    /** {@link #chat(String, String, Map)} with another output limit ({@code num_predict}) than the configured one. */
    public ChatReply chat(String system, String user, Map<String, Object> jsonSchema, int numPredict) {
        if (selection().fallback()) {
            throw new IllegalStateException("no chat model: running on the in-process fallback models");
        }
        Prompt prompt = prompt(system, user, chatOptions(0.0, numPredict).format(jsonSchema).build());
        return chatSlots.call(() -> {
            calls.incrementAndGet();
            long started = System.nanoTime();
            try {
                ChatResponse response = chatModel.call(prompt);
                var generation = response.getResult();
                String finish = generation.getMetadata() == null ? null : generation.getMetadata().getFinishReason();
                record("chat", properties.chatModel(), "success", started);
                var usage = response.getMetadata().getUsage();
                if (usage != null && usage.getCompletionTokens() != null) {
                    tokens("chat", properties.chatModel(), usage.getCompletionTokens());
                }
                return new ChatReply(generation.getOutput().getText(), finish);
            } catch (RuntimeException e) {
                record("chat", properties.chatModel(), "error", started);
                throw translate("chat with " + properties.chatModel(), e);
            }
        });
    }

    /**
     * A streamed chat answer (free text, not structured): each piece of text goes to {@code onToken} as soon as
     * Ollama sends it. An exception thrown by {@code onToken} (the client went away) stops the generation,
     * which closes the connection to Ollama, and is rethrown as it is.
     */
    public StreamedReply stream(String system, String user, int maxTokens, double temperature, Consumer<String> onToken) {
        if (selection().fallback()) {
            throw new IllegalStateException("no chat model: running on the in-process fallback models");
        }
        Prompt prompt = prompt(system, user, chatOptions(temperature, maxTokens).build());
        return chatSlots.call(() -> {
            calls.incrementAndGet();
            long started = System.nanoTime();
            StringBuilder text = new StringBuilder();
            AtomicReference<ChatResponse> last = new AtomicReference<>();
            try {
                chatModel.stream(prompt).doOnNext(response -> {
                    last.set(response);
                    var result = response.getResult();
                    String piece = result == null ? null : result.getOutput().getText();
                    if (piece != null && !piece.isEmpty()) {
                        text.append(piece);
                        try {
                            onToken.accept(piece);
                        } catch (RuntimeException e) {
                            throw new ReceiverFailed(e);
                        }
                    }
                }).blockLast();
            } catch (ReceiverFailed e) {
                record("answer", properties.chatModel(), "cancelled", started);
                throw (RuntimeException) e.getCause();
            } catch (RuntimeException e) {
                record("answer", properties.chatModel(), "error", started);
                if (!text.isEmpty()) {
                    // Spring AI cannot read Ollama's in-stream {"error": ...} line; it fails on the message-less line.
                    throw new ModelCallException("Ollama stopped the answer of " + properties.chatModel() + " after "
                            + text.length() + " characters with an error (Ollama's log has the reason)", true, e);
                }
                throw translate("chat with " + properties.chatModel(), e);
            }
            ChatResponse end = last.get();
            if (end == null || !Boolean.TRUE.equals(end.getMetadata().get("done"))) {
                throw new ModelCallException("the answer of " + properties.chatModel()
                        + " ended before Ollama marked it done (Ollama's log has the reason)", true, null);
            }
            Object evalCount = end.getMetadata().get("eval-count");
            Object evalDuration = end.getMetadata().get("eval-duration");
            record("answer", properties.chatModel(), "success", started);
            if (evalCount instanceof Number n) {
                tokens("answer", properties.chatModel(), n.intValue());
            }
            var generationMetadata = end.getResult() == null ? null : end.getResult().getMetadata();
            return new StreamedReply(text.toString(), generationMetadata == null ? null : generationMetadata.getFinishReason(),
                    evalCount instanceof Number n ? n.intValue() : 0,
                    evalDuration instanceof Duration d ? d : Duration.ZERO);
        });
    }

    private void record(String kind, String model, String outcome, long startedNanos) {
        Timer.builder("diveteacher.model.calls").description("model calls by kind, model and outcome")
                .tags("kind", kind, "model", model, "outcome", outcome).register(meters)
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    private void tokens(String kind, String model, int count) {
        meters.counter("diveteacher.model.tokens", "kind", kind, "model", model).increment(count);
    }

    /** The chat model with the configured context window (Spring AI would otherwise send 2048). */
    private OllamaChatOptions.Builder chatOptions(double temperature, int maxTokens) {
        return OllamaChatOptions.builder().model(properties.chatModel()).temperature(temperature)
                .numCtx(properties.numCtx()).numPredict(maxTokens);
    }

    private static Prompt prompt(String system, String user, OllamaChatOptions options) {
        return new Prompt(List.of(new SystemMessage(system), new UserMessage(user)), options);
    }

    /** Carries an exception of the token receiver through Reactor, so it is not mistaken for a model failure. */
    private static final class ReceiverFailed extends RuntimeException {
        ReceiverFailed(RuntimeException cause) {
            super(cause);
        }
    }

    static ModelCallException translate(String what, RuntimeException e) {
        if (e instanceof ModelCallException m) {
            return m;
        }
        boolean transientFailure = e instanceof TransientAiException || e instanceof ResourceAccessException
                || hasCause(e, IOException.class);
        if (e instanceof NonTransientAiException) {
            transientFailure = false;
        }
        return new ModelCallException(what + " failed: " + e.getMessage(), transientFailure, e);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Null when Ollama is usable, else what is wrong with it; pulls missing models when configured to. */
    private String probe(OllamaStatus status, OllamaApi api) {
        String url = status.baseUrl();
        if (!status.reachable()) {
            return "Ollama is not reachable at " + url + " (" + status.error() + ")";
        }
        List<String> missing = status.modelsPresent().entrySet().stream().filter(e -> !e.getValue())
                .map(Map.Entry::getKey).toList();
        if (missing.isEmpty()) {
            return null;
        }
        if (!properties.pullModels()) {
            return "Ollama at " + url + " does not have the model(s) " + String.join(", ", missing)
                    + " (run `ollama pull <model>` or set OLLAMA_PULL_MODELS=true)";
        }
        OllamaModelManager manager = new OllamaModelManager(api,
                new ModelManagementOptions(PullModelStrategy.WHEN_MISSING, List.of(), Duration.ofHours(2), 0));
        for (String model : missing) {
            log.info("Pulling model {} from Ollama at {} (OLLAMA_PULL_MODELS=true); this can take minutes", model, url);
            try {
                manager.pullModel(model, PullModelStrategy.WHEN_MISSING);
            } catch (RuntimeException e) {
                return "Ollama at " + url + " could not pull " + model + ": " + e.getMessage();
            }
            log.info("Model {} is ready", model);
        }
        return null;
    }

    private int embeddingDimensions(OllamaApi api, EmbeddingModel model) {
        try {
            var info = api.showModel(new OllamaApi.ShowModelRequest(properties.embeddingModel())).modelInfo();
            if (info != null) {
                for (var entry : info.entrySet()) {
                    if (entry.getKey().endsWith(".embedding_length") && entry.getValue() instanceof Number n) {
                        return n.intValue();
                    }
                }
            }
        } catch (RuntimeException e) {
            log.debug("/api/show did not tell the embedding length of {}", properties.embeddingModel(), e);
        }
        // Older servers do not report the length: embed one probe text instead.
        calls.incrementAndGet();
        return model.embed("dimension probe").length;
    }

    /** The embedding model of whichever models are in use, looked up at each call. */
    private final class CurrentEmbeddings implements Embeddings {
        @Override
        public List<float[]> embed(List<String> texts) {
            return ready().embeddings().embed(texts);
        }

        @Override
        public String model() {
            return ready().embeddings().model();
        }

        @Override
        public int dimensions() {
            return ready().embeddings().dimensions();
        }
    }

    /** Counts and bounds calls to the embedding model in use. */
    private final class CountedEmbeddings implements Embeddings {
        private final Embeddings delegate;
        private final ModelSlots slots;

        CountedEmbeddings(Embeddings delegate, ModelSlots slots) {
            this.delegate = delegate;
            this.slots = slots;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            if (texts.isEmpty()) {
                return List.of();
            }
            return slots.call(() -> {
                calls.incrementAndGet();
                long started = System.nanoTime();
                try {
                    List<float[]> vectors = delegate.embed(texts);
                    record("embedding", delegate.model(), "success", started);
                    return vectors;
                } catch (RuntimeException e) {
                    record("embedding", delegate.model(), "error", started);
                    throw translate("embedding with " + delegate.model(), e);
                }
            });
        }

        @Override
        public String model() {
            return delegate.model();
        }

        @Override
        public int dimensions() {
            return delegate.dimensions();
        }
    }

    private record OllamaEmbeddings(EmbeddingModel embeddingModel, String name, int dimensions) implements Embeddings {
        @Override
        public List<float[]> embed(List<String> texts) {
            List<float[]> vectors = embeddingModel.embed(texts);
            for (float[] vector : vectors) {
                if (vector.length != dimensions) {
                    throw new ModelCallException("embedding model " + name + " returned " + vector.length
                            + " dimensions, expected " + dimensions, false, null);
                }
            }
            return vectors;
        }

        @Override
        public String model() {
            return name;
        }
    }
}
