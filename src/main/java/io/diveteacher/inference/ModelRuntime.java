package io.diveteacher.inference;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private final ChatModel chatModel;
    private final ModelSelection selection;
    private final Embeddings embeddings;
    private final ModelSlots chatSlots;
    private final AtomicLong calls = new AtomicLong();

    ModelRuntime(InferenceProperties properties, OllamaServer ollamaServer, OllamaApi ollamaApi,
            EmbeddingModel ollamaEmbeddingModel, ChatModel chatModel, ObjectProvider<LocalModels> localModels) {
        this.properties = properties;
        this.chatModel = chatModel;
        this.chatSlots = new ModelSlots(properties.numParallel());
        OllamaStatus status = ollamaServer.status();
        String ollamaVersion = status.version();
        String problem = probe(status, ollamaApi);
        if (problem == null) {
            int dimensions = embeddingDimensions(ollamaApi, ollamaEmbeddingModel);
            this.embeddings = new CountedEmbeddings(new OllamaEmbeddings(ollamaEmbeddingModel, properties.embeddingModel(),
                    dimensions), new ModelSlots(properties.numParallel()));
            this.selection = new ModelSelection(false, null, properties.embeddingModel(), properties.chatModel(),
                    dimensions, ollamaVersion);
            log.info("Models: Ollama {} at {}: extraction {}, embeddings {} ({} dimensions), {} parallel slots",
                    ollamaVersion, properties.baseUrl(), properties.chatModel(), properties.embeddingModel(), dimensions,
                    properties.numParallel());
        } else {
            LocalModels local = localModels.getIfAvailable();
            if (!properties.allowFallback() || local == null) {
                throw new IllegalStateException(problem + (local == null
                        ? ". This build has no in-process fallback models (production build)."
                        : ". The fallback models are disabled (diveteacher.inference.allow-fallback=false, the prod profile)."));
            }
            Embeddings fallback = local.embeddings();
            this.embeddings = new CountedEmbeddings(fallback, new ModelSlots(properties.numParallel()));
            this.selection = new ModelSelection(true, problem, FALLBACK_EMBEDDING, FALLBACK_EXTRACTION,
                    fallback.dimensions(), null);
            log.warn("""

                    *** {}.
                    *** Using the in-process FALLBACK models: {} embeddings and {} extraction.
                    *** Graph and answer quality are much lower. Start Ollama or set OLLAMA_BASE_URL to use real models.""",
                    problem, FALLBACK_EMBEDDING, FALLBACK_EXTRACTION);
        }
    }

    public ModelSelection selection() {
        return selection;
    }

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
        if (selection.fallback()) {
            throw new IllegalStateException("no chat model: running on the in-process fallback models");
        }
        OllamaChatOptions options = OllamaChatOptions.builder()
                .model(properties.chatModel())
                .temperature(0.0)
                .numCtx(properties.numCtx())
                .numPredict(properties.numPredict())
                .format(jsonSchema)
                .build();
        Prompt prompt = new Prompt(List.of(new SystemMessage(system), new UserMessage(user)), options);
        return chatSlots.call(() -> {
            calls.incrementAndGet();
            try {
                ChatResponse response = chatModel.call(prompt);
                var generation = response.getResult();
                String finish = generation.getMetadata() == null ? null : generation.getMetadata().getFinishReason();
                return new ChatReply(generation.getOutput().getText(), finish);
            } catch (RuntimeException e) {
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
        if (selection.fallback()) {
            throw new IllegalStateException("no chat model: running on the in-process fallback models");
        }
        OllamaChatOptions options = OllamaChatOptions.builder()
                .model(properties.chatModel())
                .temperature(temperature)
                .numCtx(properties.numCtx())
                .numPredict(maxTokens)
                .build();
        Prompt prompt = new Prompt(List.of(new SystemMessage(system), new UserMessage(user)), options);
        return chatSlots.call(() -> {
            calls.incrementAndGet();
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
                throw (RuntimeException) e.getCause();
            } catch (RuntimeException e) {
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
            var generationMetadata = end.getResult() == null ? null : end.getResult().getMetadata();
            return new StreamedReply(text.toString(), generationMetadata == null ? null : generationMetadata.getFinishReason(),
                    evalCount instanceof Number n ? n.intValue() : 0,
                    evalDuration instanceof Duration d ? d : Duration.ZERO);
        });
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
                try {
                    return delegate.embed(texts);
                } catch (RuntimeException e) {
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
