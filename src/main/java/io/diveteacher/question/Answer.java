package io.diveteacher.question;

import java.util.List;

/**
 * The answer to a question, as {@code POST /api/query} returns it. {@code model} names what produced the
 * text: the Ollama model, the extractive fallback, or nothing when no passage was relevant.
 * {@code standaloneQuestion} is the question as it was understood from the conversation's {@code history} (what
 * was searched and answered); null without history.
 */
public record Answer(String answer, List<Source> sources, int numSources, List<EntityRef> entities, String model,
        Timings timings, String standaloneQuestion) {

    public Answer(String answer, List<Source> sources, int numSources, List<EntityRef> entities, String model,
            Timings timings) {
        this(answer, sources, numSources, entities, model, timings, null);
    }

    Answer understoodAs(String question) {
        return new Answer(answer, sources, numSources, entities, model, timings, question);
    }

    /** An entity the sources mention. */
    public record EntityRef(String name, String type) {
    }

    /**
     * Where the time went. {@code evalTokens} and {@code tokensPerSecond} are Ollama's own figures for this
     * answer ({@code eval_count}, {@code eval_duration}); null when no model generated it.
     */
    public record Timings(long retrievalMs, long generationMs, Integer evalTokens, Double tokensPerSecond) {
    }
}
