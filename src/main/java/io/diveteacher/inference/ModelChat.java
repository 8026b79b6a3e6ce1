package io.diveteacher.inference;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.stereotype.Component;

/**
 * Chat with Ollama's model, through Spring AI: structured answers (a JSON schema, temperature 0) for extraction, by
 * its Ollama client, and streamed free text for answers, by its chat model. Every call waits for one of the parallel
 * slots, is timed and counted, and fails as a {@link ModelCallException}.
 */
@Component
public class ModelChat {

    /** The temperature of structured (extraction) answers: deterministic, so that a cached answer is as good. */
    public static final double STRUCTURED_TEMPERATURE = 0.0;

    private final InferenceProperties properties;
    private final ModelRuntime models;
    private final ChatModel chatModel;
    private final OllamaApi ollamaApi;
    private final ModelMetrics metrics;
    private final ModelSlots slots;

    ModelChat(InferenceProperties properties, ModelRuntime models, ChatModel chatModel, OllamaApi ollamaApi,
            ModelMetrics metrics) {
        this.properties = properties;
        this.models = models;
        this.chatModel = chatModel;
        this.ollamaApi = ollamaApi;
        this.metrics = metrics;
        this.slots = new ModelSlots("chat", properties.numParallel(), metrics.registry());
    }

    /**
     * One non-streamed chat call with structured output: temperature 0, the configured context window and
     * Ollama's JSON-schema {@code format}.
     */
    public ChatReply chat(String system, String user, Map<String, Object> jsonSchema) {
        return chat(system, user, jsonSchema, properties.numPredict());
    }

    /**
     * {@link #chat(String, String, Map)} with another output limit ({@code num_predict}) than the configured one.
     * <p>
     * Sent through Spring AI's Ollama client ({@link OllamaApi}) rather than its chat model: the chat model merges
     * options and observes every call, which took a fifth of this side's CPU per extraction with a fast model, for
     * nothing extraction uses (its time and tokens are recorded here).
     */
    public ChatReply chat(String system, String user, Map<String, Object> jsonSchema, int numPredict) {
        requireChatModel();
        OllamaApi.ChatRequest request = OllamaApi.ChatRequest.builder(properties.chatModel())
                .messages(List.of(OllamaApi.Message.builder(OllamaApi.Message.Role.SYSTEM).content(system).build(),
                        OllamaApi.Message.builder(OllamaApi.Message.Role.USER).content(user).build()))
                .stream(false)
                .format(jsonSchema)
                .options(Map.of("temperature", STRUCTURED_TEMPERATURE, "num_ctx", properties.numCtx(),
                        "num_predict", numPredict))
                .build();
        return slots.call(() -> {
            metrics.called();
            long started = System.nanoTime();
            try {
                OllamaApi.ChatResponse response = ollamaApi.chat(request);
                metrics.record("chat", properties.chatModel(), "success", started);
                if (response.evalCount() != null) {
                    metrics.tokens("chat", properties.chatModel(), response.evalCount());
                }
                String content = response.message() == null ? null : response.message().content();
                return new ChatReply(content, response.doneReason());
            } catch (RuntimeException e) {
                metrics.record("chat", properties.chatModel(), "error", started);
                throw ModelCallException.from("chat with " + properties.chatModel(), e);
            }
        });
    }

    /**
     * A streamed chat answer (free text, not structured): each piece of text goes to {@code onToken} as soon as
     * Ollama sends it. An exception thrown by {@code onToken} (the client went away) stops the generation,
     * which closes the connection to Ollama, and is rethrown as it is.
     */
    public StreamedReply stream(String system, String user, int maxTokens, double temperature, Consumer<String> onToken) {
        Prompt prompt = prompt(system, user, options(temperature, maxTokens).build());
        return slots.call(() -> {
            metrics.called();
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
                metrics.record("answer", properties.chatModel(), "cancelled", started);
                throw (RuntimeException) e.getCause();
            } catch (RuntimeException e) {
                metrics.record("answer", properties.chatModel(), "error", started);
                if (!text.isEmpty()) {
                    // Spring AI cannot read Ollama's in-stream {"error": ...} line; it fails on the message-less line.
                    throw new ModelCallException("Ollama stopped the answer of " + properties.chatModel() + " after "
                            + text.length() + " characters with an error (Ollama's log has the reason)", true, e);
                }
                throw ModelCallException.from("chat with " + properties.chatModel(), e);
            }
            ChatResponse end = last.get();
            if (end == null || !Boolean.TRUE.equals(end.getMetadata().get("done"))) {
                throw new ModelCallException("the answer of " + properties.chatModel()
                        + " ended before Ollama marked it done (Ollama's log has the reason)", true, null);
            }
            Object evalCount = end.getMetadata().get("eval-count");
            Object evalDuration = end.getMetadata().get("eval-duration");
            metrics.record("answer", properties.chatModel(), "success", started);
            if (evalCount instanceof Number n) {
                metrics.tokens("answer", properties.chatModel(), n.intValue());
            }
            var generationMetadata = end.getResult() == null ? null : end.getResult().getMetadata();
            return new StreamedReply(text.toString(), generationMetadata == null ? null : generationMetadata.getFinishReason(),
                    evalCount instanceof Number n ? n.intValue() : 0,
                    evalDuration instanceof Duration d ? d : Duration.ZERO);
        });
    }

    /** The chat model with the configured context window (Spring AI would otherwise send 2048). */
    private OllamaChatOptions.Builder options(double temperature, int maxTokens) {
        requireChatModel();
        return OllamaChatOptions.builder().model(properties.chatModel()).temperature(temperature)
                .numCtx(properties.numCtx()).numPredict(maxTokens);
    }

    /** Refused at once while the models are not ready or are the fallback (which has no chat model). */
    private void requireChatModel() {
        if (models.selection().fallback()) {
            throw new IllegalStateException("no chat model: running on the in-process fallback models");
        }
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
}
